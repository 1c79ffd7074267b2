package io.drover.agent.cni;

import io.drover.agent.desired.InterfaceNames;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.cni.CniError;
import io.drover.cni.CniRequest;
import io.drover.cni.CniResult;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * CHECK: what ADD made is still there and still right. The pod has its addresses; the container interface exists in
 * the container's namespace, is up, carries them and routes through the gateway; its host end is up on the network's
 * bridge; and the runtime's prevResult says the same. Each finding is an error naming what is wrong (code 999, as the
 * reference plugins' CHECK failures), so an operator or the runtime can act on it.
 */
final class AttachmentCheck {

    private final Kernel kernel;
    private final Plumbing plumbing;

    AttachmentCheck(Kernel kernel, Plumbing plumbing) {
        this.kernel = kernel;
        this.plumbing = plumbing;
    }

    void verify(Pod pod, CniRequest request) throws CniError {
        String key = CniPods.key(pod);
        String ifName = request.ifName();
        PodStatus status = pod.status();
        List<PodAddress> addresses = status == null || !PodStatus.ALLOCATED.equals(status.phase()) ? List.of()
                : status.addresses();
        if (addresses.isEmpty()) {
            throw failed("pod " + key + " has no addresses", status == null || status.message() == null
                    ? "IPAM has not addressed it" : status.message());
        }
        NetNs netns = new NetNs(Path.of(request.netns()));
        Link container = plumbing.link(netns, ifName)
                .orElseThrow(() -> failed("interface " + ifName + " is missing", "there is no " + ifName + " in "
                        + request.netns() + "; DEL and ADD the container again"));
        if (!container.up()) {
            throw failed("interface " + ifName + " is down", ifName + " in " + request.netns() + " was set down");
        }
        List<Address> present = read(() -> kernel.addresses(netns, ifName), "the addresses of " + ifName);
        Set<String> wanted = new TreeSet<>();
        for (PodAddress a : addresses) {
            wanted.add(IpAddresses.format(IpAddresses.parse(a.ip())) + "/" + a.prefix());
        }
        Set<String> actual = present.stream().map(Address::toString).collect(Collectors.toCollection(TreeSet::new));
        if (!actual.containsAll(wanted)) {
            throw failed("interface " + ifName + " lacks its addresses", ifName + " has " + actual + ", pod " + key
                    + " is addressed " + wanted);
        }
        // Only a container's first attachment routes (see CniAttachment#primary).
        boolean routes = CniAttachment.of(pod).map(CniAttachment::primary).orElse(true);
        List<Route> table = routes ? read(() -> kernel.routes(netns), "the routes of " + request.netns()) : List.of();
        for (PodAddress a : addresses) {
            if (!routes || a.gateway() == null || a.gateway().isEmpty()) {
                continue;
            }
            InetAddress gateway = IpAddresses.parse(a.gateway());
            boolean routed = table.stream().anyMatch(r -> r.destination().prefixLength() == 0
                    && gateway.equals(r.gateway()) && (r.device() == null || ifName.equals(r.device())));
            if (!routed) {
                throw failed("the default route through " + a.gateway() + " is missing", "the routes of "
                        + request.netns() + " have no default route via " + a.gateway() + " dev " + ifName);
            }
        }
        String hostName = Plumbing.hostEnd(pod, ifName);
        String bridge = InterfaceNames.bridge(pod.spec().networks().getFirst());
        Link host = plumbing.link(plumbing.nodeNamespace(), hostName)
                .orElseThrow(() -> failed("the host end " + hostName + " of " + ifName + " is missing",
                        "the node's namespace has no " + hostName + "; DEL and ADD the container again"));
        if (!host.up() || !bridge.equals(host.master())) {
            throw failed("the host end " + hostName + " is not up on bridge " + bridge, hostName + " is "
                    + (host.up() ? "up" : "down") + " on " + (host.master() == null ? "no bridge" : host.master()));
        }
        Optional<CniResult> prev = request.config().prevResult();
        if (prev.isPresent()) {
            compare(prev.get(), request, container, wanted);
        }
    }

    /** prevResult is what ADD answered: it must still describe the attachment. */
    private static void compare(CniResult prev, CniRequest request, Link container, Set<String> wanted)
            throws CniError {
        Optional<Integer> index = indexOf(prev, request);
        if (index.isEmpty()) {
            throw failed("prevResult does not list interface " + request.ifName(), "no interface named "
                    + request.ifName() + " with sandbox " + request.netns() + " in prevResult");
        }
        CniResult.Interface listed = prev.interfaces().get(index.get());
        if (listed.mac() != null && !listed.mac().isEmpty() && !listed.mac().equalsIgnoreCase(container.mac())) {
            throw failed("interface " + request.ifName() + " has another MAC address than ADD reported",
                    "prevResult says " + listed.mac() + ", the interface has " + container.mac());
        }
        Set<String> reported = new TreeSet<>();
        for (CniResult.IpConfig ip : prev.ips()) {
            if (ip.interfaceIndex() == null || ip.interfaceIndex().equals(index.get())) {
                Address a = Address.parse(ip.address());
                reported.add(a.toString());
            }
        }
        if (!reported.equals(wanted)) {
            throw failed("prevResult's addresses are not the pod's", "prevResult says " + reported
                    + ", the pod is addressed " + wanted);
        }
    }

    private static Optional<Integer> indexOf(CniResult prev, CniRequest request) {
        for (int i = 0; i < prev.interfaces().size(); i++) {
            CniResult.Interface iface = prev.interfaces().get(i);
            if (iface.name().equals(request.ifName()) && Objects.equals(iface.sandbox(), request.netns())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private interface Read<T> {
        T run();
    }

    private static <T> T read(Read<T> read, String what) throws CniError {
        try {
            return read.run();
        } catch (KernelException e) {
            throw failed("cannot read " + what, e.getMessage());
        }
    }

    private static CniError failed(String msg, String details) {
        return new CniError(CniError.INTERNAL, msg, details);
    }
}
