package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The links the agent reads on every sync come from link notifications ({@link LinkTracker}): after any change, made
 * through the kernel interface or behind its back with iproute2, they must be exactly what a dump says.
 */
class LinkTrackerE2ETest extends KernelE2E {

    private NetNs node;
    private NetNs pod;
    private String nodeName;
    private String podName;

    @BeforeEach
    void namespaces() {
        node = spaces.create("node");
        pod = spaces.create("pod");
        nodeName = spaces.name("node");
        podName = spaces.name("pod");
    }

    private void assertTracked(String after) {
        assertThat(kernel.trackedLinks(node)).as("tracked links after " + after).isEqualTo(kernel.links(node));
    }

    @Test
    void trackedLinksFollowEveryChangeThroughTheKernelAndBehindItsBack() {
        assertTracked("the first read");

        kernel.createBridge(node, "br0", 1450, "drover:bridge");
        assertTracked("a bridge was created");
        kernel.createVethPair(node, "dv1", "drover:pod/a", pod, "eth0", 1450);
        kernel.createVethPair(node, "dv2", "drover:pod/b", pod, "eth1", 1450);
        assertTracked("two veth pairs were created");
        kernel.setMaster(node, "dv1", "br0");
        kernel.setUp(node, "dv1", true);
        kernel.setUp(node, "br0", true);
        assertTracked("a port joined the bridge and came up");
        kernel.setHairpin(node, "dv1", true);
        assertTracked("hairpin was set (a bridge-port notification, not a link's)");

        Oracle.run("ip", "-n", nodeName, "link", "set", "dv2", "mtu", "1400", "alias", "someone-else").ok();
        assertTracked("the MTU and alias were changed with ip");
        Oracle.run("ip", "-n", nodeName, "link", "set", "dv2", "master", "br0").ok();
        Oracle.run("ip", "-n", nodeName, "link", "set", "dv2", "down").ok();
        Oracle.run("ip", "-n", nodeName, "link", "set", "dv2", "name", "renamed").ok();
        assertTracked("a port was enslaved, set down and renamed with ip");
        Oracle.run("ip", "-n", podName, "link", "del", "eth0").ok();
        assertTracked("a pod end was deleted in the pod's namespace (its node end goes with it)");
        Oracle.run("ip", "-n", nodeName, "link", "set", "renamed", "nomaster").ok();
        kernel.deleteLink(node, "br0");
        assertTracked("the bridge was deleted");

        kernel.forgetTrackedLinks();
        Oracle.run("ip", "-n", nodeName, "link", "add", "late", "type", "bridge").ok();
        assertTracked("the links were forgotten and dumped again");
    }

    @Test
    void notificationsLostToAFullReceiveBufferAreMadeUpByADumpAgain() {
        List<Link> tracked = kernel.inNamespace(node, () -> {
            try (NetlinkSocket socket = NetlinkSocket.open(); LinkTracker tracker = LinkTracker.open(4096)) {
                RouteNetlink requests = new RouteNetlink(socket);
                tracker.links(requests, 0);
                // Far more notifications than a 4 KiB receive buffer holds (each is over 1 KiB).
                for (int i = 0; i < 40; i++) {
                    requests.createBridge("burst" + i, 1500, "drover:bridge");
                }
                List<Link> after = tracker.links(requests, 0);
                assertThat(tracker.dumps()).as("a second dump after the overflow").isEqualTo(2);
                return after;
            }
        });
        assertThat(tracked).isEqualTo(kernel.links(node));
        assertThat(tracked).extracting(Link::name).contains("burst0", "burst39");
    }
}
