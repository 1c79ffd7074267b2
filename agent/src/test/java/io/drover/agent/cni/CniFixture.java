package io.drover.agent.cni;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.reconcile.Reconciler;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.cni.CniDispatcher;
import io.drover.cni.CniReply;
import io.drover.controllers.Controllers;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One node with CNI, without root: a real registry on SQLite, the real IPAM controller, a node agent on the fake
 * kernel, the {@link CniService} behind a {@link CniDispatcher} (so calls are checked as drover-cni's are), and
 * container namespaces that exist only in the fake kernel. Networks: blue 10.10.0.0/16, red 10.20.0.0/16 and tiny
 * 10.30.0.0/30, which has one address to give.
 */
final class CniFixture implements AutoCloseable {

    static final String NODE = "node-1";

    final SqliteKeyValueStore store;
    final StoreResourceRegistry registry;
    final Controllers controllers;
    final FakeKernel kernel = new FakeKernel();
    final NodeAgent agent;
    final CniService service;
    final CniDispatcher dispatcher;
    /** Namespace paths the service and the dispatcher consider to exist: those of the fake kernel. */
    final Predicate<String> netnsExists = p -> kernel.hasNamespace(new NetNs(Path.of(p)));

    CniFixture(Path dir) {
        this(dir, CniService.Options.DEFAULTS.addTimeout());
    }

    CniFixture(Path dir, Duration addTimeout) {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(network("blue", "10.10.0.0/16"));
        registry.create(network("red", "10.20.0.0/16"));
        registry.create(Network.of(ObjectMeta.named("tiny"),
                new NetworkSpec(List.of("10.30.0.0/30"), null, 30, null, null, null)));
        controllers = Controllers.start(store, registry);
        agent = new NodeAgent(NODE, registry, new Reconciler(kernel),
                new CniPodNamespaces(ManagedPodNamespaces.withPrefix("drover-n1-")),
                new NodeAgent.Options(Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(1)));
        agent.start();
        service = new CniService(registry, agent, kernel, NetNs.SELF,
                new CniService.Options(addTimeout, Duration.ofSeconds(5), netnsExists));
        dispatcher = new CniDispatcher(service, netnsExists);
    }

    static Network network(String name, String subnet) {
        return Network.of(ObjectMeta.named(name), NetworkSpec.of(subnet));
    }

    /** A container's namespace, as a runtime makes it before ADD. */
    NetNs container(String name) {
        NetNs ns = NetNs.named("cni-" + name);
        kernel.addNamespace(ns);
        return ns;
    }

    /** One CNI call. */
    record Call(String command, String containerId, String netns, String ifName, String args, String config) {

        Call withConfig(String newConfig) {
            return new Call(command, containerId, netns, ifName, args, newConfig);
        }

        Call as(String newCommand) {
            return new Call(newCommand, containerId, netns, ifName, args, config);
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CNI_COMMAND", command);
            env.put("CNI_CONTAINERID", containerId);
            env.put("CNI_NETNS", netns);
            env.put("CNI_IFNAME", ifName);
            env.put("CNI_ARGS", args);
            env.put("CNI_PATH", "/opt/cni/bin");
            return env;
        }
    }

    static Call add(String containerId, NetNs netns, String network) {
        return new Call("ADD", containerId, netns.path().toString(), "eth0", "", config(network, ""));
    }

    /** A configuration of version 1.0.0 for {@code network}; {@code extra} is more fields, starting with a comma. */
    static String config(String network, String extra) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"" + network + "\",\"type\":\"drover\"" + extra + "}";
    }

    CniReply call(Call c) {
        return dispatcher.handle(c.env(), c.config().getBytes(StandardCharsets.UTF_8));
    }

    Optional<Pod> pod(String namespace, String name) {
        return registry.get(Pod.class, namespace, name);
    }

    List<Pod> pods() {
        return registry.<Pod>list(io.drover.model.ResourceKind.POD, null, null).items();
    }

    /** The host veths (dv...) in the node's namespace. */
    List<String> hostVeths() {
        return kernel.linkNames(NetNs.SELF).stream().filter(n -> n.startsWith("dv")).toList();
    }

    @Override
    public void close() {
        agent.close();
        controllers.close();
        store.close();
    }
}
