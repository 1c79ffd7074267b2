package io.drover.dns;

import io.drover.dns.answer.Answerer;
import io.drover.dns.answer.Resolution;
import io.drover.dns.answer.Zone;
import io.drover.dns.view.ClusterView;
import io.drover.dns.view.PodNames;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Model objects for DNS tests, and a view and answerer over them. */
public final class Fixtures {

    public final ClusterView view = new ClusterView(List.of(Cidr.parse("10.96.0.0/16")));
    public final Answerer answerer;

    public Fixtures() {
        this(Zone.defaults());
    }

    public Fixtures(Zone zone) {
        answerer = new Answerer(zone);
    }

    /** A ClusterIP service with its (possibly several, dual-stack) addresses and ports. */
    public static Service clusterIp(String ns, String name, List<String> ips, ServicePort... ports) {
        return Service.of(ObjectMeta.named(ns, name), ServiceSpec.builder().clusterIP(ips.getFirst()).clusterIPs(ips)
                .ports(ports).build());
    }

    public static Service clusterIp(String ns, String name, String ip, ServicePort... ports) {
        return clusterIp(ns, name, List.of(ip), ports);
    }

    public static Service headless(String ns, String name, boolean publishNotReady, ServicePort... ports) {
        return Service.of(ObjectMeta.named(ns, name), ServiceSpec.builder().clusterIP(ServiceSpec.HEADLESS)
                .publishNotReadyAddresses(publishNotReady ? true : null).ports(ports).build());
    }

    public static Service externalName(String ns, String name, String target) {
        return Service.of(ObjectMeta.named(ns, name), ServiceSpec.builder().type("ExternalName").externalName(target)
                .build());
    }

    public static ServicePort port(String name, int port, String protocol) {
        return new ServicePort(name, protocol, port, PortReference.number(port), null, null);
    }

    public static ServicePort port(String name, int port, String protocol, int targetPort) {
        return new ServicePort(name, protocol, port, PortReference.number(targetPort), null, null);
    }

    public static ServiceEndpoints endpoints(String ns, String service, ServiceEndpoint... endpoints) {
        return ServiceEndpoints.of(ObjectMeta.named(ns, service), List.of(endpoints));
    }

    public static ServiceEndpoint ready(String address, String pod, EndpointPort... ports) {
        return new ServiceEndpoint(address, pod, "node-1", true, null, null, List.of(ports), null);
    }

    public static ServiceEndpoint unready(String address, String pod, EndpointPort... ports) {
        return new ServiceEndpoint(address, pod, "node-1", false, "health check failing", null, List.of(ports),
                new EndpointHealth(EndpointHealth.FAILING, "connection refused", null));
    }

    /** A pod with addresses; {@code hostname}/{@code subdomain} may be null. */
    public static Pod pod(String ns, String name, String hostname, String subdomain, String... ips) {
        Map<String, String> annotations = new HashMap<>();
        if (hostname != null) {
            annotations.put(PodNames.HOSTNAME, hostname);
        }
        if (subdomain != null) {
            annotations.put(PodNames.SUBDOMAIN, subdomain);
        }
        List<PodStatus.PodAddress> addresses = new ArrayList<>();
        for (String ip : ips) {
            addresses.add(new PodStatus.PodAddress("blue", "eth0", ip, ip.contains(":") ? 64 : 16, null));
        }
        return new Pod(null, null, new ObjectMeta(name, ns, Map.of(), annotations, null, null, null),
                PodSpec.on("node-1", "blue"), new PodStatus(PodStatus.ALLOCATED, addresses, null));
    }

    public static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type,
                    DClass.IN));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The answerer's reply; fails the test when the name is not the cluster's. */
    public Message ask(String name, int type) {
        Resolution r = answerer.answer(query(name, type), view);
        if (r instanceof Resolution.Answered(Message reply, Name external)) {
            return reply;
        }
        throw new AssertionError(name + " was not answered by the cluster: " + r);
    }

    public Resolution resolve(String name, int type) {
        return answerer.answer(query(name, type), view);
    }
}
