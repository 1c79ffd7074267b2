package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.cli.DroverCommand;
import io.drover.cli.output.Table;
import io.drover.lab.dns.ClusterDnsPlan;
import io.drover.lab.runtime.FabricLayout;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.lab.runtime.RunningLabs;
import io.drover.model.ResourceKind;
import io.drover.model.node.Node;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover lab status}: the labs on this machine and whether their processes run; then, per lab, its parts
 * (etcd members, servers, nodes, the relay) and which are up, stopped on purpose, exited or cut, with each server's
 * leadership and each node's readiness as the lab's servers see them.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"List the labs on this machine: nodes, server, running processes, namespaces.",
                "Then each lab's etcd members, servers and nodes, and which are up, stopped, exited or cut."})
public final class LabStatusCommand implements Callable<Integer> {

    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*true");

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this lab.")
    String name;

    private final DroverCommand drover;

    public LabStatusCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LabStateStore store = LabDirectory.store(drover.context());
        try (LinuxKernel kernel = new LinuxKernel()) {
            List<String> labs = new ArrayList<>(new LabTeardown(kernel, store).labsPresent());
            if (name != null) {
                labs.retainAll(List.of(name));
            }
            if (labs.isEmpty()) {
                out.println(name == null ? "No lab on this machine. Start one with: drover lab up"
                        : "No lab " + name + " on this machine. Start it with: drover lab up --name " + name);
                return 0;
            }
            List<String> namespaces = kernel.namespaces();
            Map<String, Optional<LabState>> states = new HashMap<>();
            labs.forEach(lab -> states.put(lab, store.load(lab)));
            List<List<String>> rows = labs.stream().map(lab -> row(lab, states.get(lab), namespaces)).toList();
            out.print(new Table(List.of("NAME", "NODES", "SERVER", "PROCESSES", "NAMESPACES", "STATE"), rows).render());
            for (String lab : labs) {
                states.get(lab).ifPresent(state -> {
                    out.println();
                    out.println(heading(state));
                    out.print(new Table(List.of("PART", "NAME", "ADDRESS", "PID", "STATE"), parts(state, live(state)))
                            .render("  "));
                });
            }
            return 0;
        } finally {
            out.flush();
        }
    }

    static List<String> row(String lab, Optional<LabState> state, List<String> namespaces) {
        LabNames names = LabNames.of(lab);
        long owned = namespaces.stream().filter(names::owns).count();
        if (state.isEmpty()) {
            return List.of(lab, "?", "-", "0", Long.toString(owned), "leftovers (run: drover lab down --name " + lab + ")");
        }
        LabState s = state.get();
        long running = s.processes().stream().filter(p -> p.identity().isRunning()).count();
        long expected = s.processes().stream().filter(p -> !p.stopped()).count();
        boolean serverUp = !RunningLabs.runningServerUrls(s).isEmpty();
        List<String> faults = new ArrayList<>();
        s.processes().stream().filter(LabState.ProcessRecord::stopped).forEach(p -> faults.add(p.role() + " stopped"));
        s.cut().forEach(n -> faults.add(n + " cut"));
        String condition;
        if (running == 0) {
            condition = "stopped (run: drover lab down --name " + lab + ")";
        } else if (serverUp && running == expected) {
            condition = faults.isEmpty() ? "up" : "up; on purpose: " + String.join(", ", faults);
        } else {
            condition = "degraded (see its logs in the lab directory)"
                    + (faults.isEmpty() ? "" : "; on purpose: " + String.join(", ", faults));
        }
        return List.of(lab, Integer.toString(s.nodes()), s.serverUrl() == null ? "-" : s.serverUrl(),
                running + "/" + s.processes().size(), Long.toString(owned), condition);
    }

    static String heading(LabState state) {
        LabState.Topology t = state.effectiveTopology();
        String store = t.store() + (t.etcd().isEmpty() ? "" : " (" + t.etcd().size() + " member"
                + (t.etcd().size() == 1 ? "" : "s") + ")");
        return "lab " + state.name() + ": mode " + t.mode() + ", underlay " + t.underlay() + ", store " + store + ", "
                + state.servers().size() + " server" + (state.servers().size() == 1 ? "" : "s")
                + (t.apiUrl() == null ? "" : " behind the API front " + t.apiUrl());
    }

    /** What the lab's servers say: which server leads, and each node's readiness; empty when none answers. */
    record Live(Map<String, Boolean> leaders, Map<String, Node> nodes) {
        static final Live NONE = new Live(Map.of(), Map.of());
    }

    private static Live live(LabState state) {
        List<String> urls = RunningLabs.runningServerUrls(state);
        if (urls.isEmpty()) {
            return Live.NONE;
        }
        Map<String, Boolean> leaders = new HashMap<>();
        Map<String, Node> nodes = new HashMap<>();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            for (String url : urls) {
                try {
                    HttpResponse<String> readyz = http.send(HttpRequest.newBuilder(URI.create(url).resolve("/readyz"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (readyz.statusCode() != 404) {
                        leaders.put(url, LEADER.matcher(readyz.body()).find());
                    }
                    if (nodes.isEmpty()) {
                        try (DroverClient client = new DroverClient(ServerUrls.parse(url))) {
                            client.list(ResourceKind.NODE, null, null).items().stream().map(Node.class::cast)
                                    .forEach(n -> nodes.put(n.metadata().name(), n));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // this server does not answer: its row says what its process does
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return new Live(leaders, nodes);
    }

    static List<List<String>> parts(LabState state, Live live) {
        List<List<String>> rows = new ArrayList<>();
        String lab = state.name();
        String labOption = " --lab " + lab;
        for (LabState.EtcdMember m : state.effectiveTopology().etcd()) {
            rows.add(List.of("etcd", m.name(), m.clientUrl(), pid(state, m.name()),
                    processState(state, m.name(), "drover lab etcd start " + m.name() + labOption)));
        }
        for (LabState.Server s : state.servers()) {
            String condition = processState(state, s.role(), "drover lab server start " + s.name() + labOption);
            Boolean leader = s.url() == null ? null : live.leaders().get(s.url());
            if (condition.equals("up") && leader != null) {
                condition += leader ? ", leader" : "";
            }
            rows.add(List.of("server", s.name(), s.url() == null ? "-" : s.url(), pid(state, s.role()), condition));
        }
        FabricLayout layout = FabricLayout.plan(lab, state.nodes(), state.effectiveTopology().underlayKind());
        for (FabricLayout.Node n : layout.nodes()) {
            String role = LabLauncher.agentRole(n.name());
            String condition = processState(state, role, "drover lab node start " + n.name() + labOption);
            if (!condition.equals("up")) {
                condition = "agent " + condition;
            }
            if (state.cut().contains(n.name())) {
                condition += ", cut (drover lab node heal " + n.name() + labOption + ")";
            }
            Node node = live.nodes().get(n.name());
            if (node != null && node.status() != null && node.status().ready() != null) {
                condition += node.status().ready() ? ", Ready" : ", NotReady";
                if (!node.status().warnings().isEmpty()) {
                    condition += " (" + node.status().warnings().size() + " warning"
                            + (node.status().warnings().size() == 1 ? "" : "s") + ": drover describe node " + n.name() + ")";
                }
            }
            rows.add(List.of("node", n.name(), n.address().toString(), pid(state, role), condition));
        }
        LabState.ClusterDnsRecord dns = state.effectiveTopology().clusterDns();
        if (dns != null) {
            ClusterDnsPlan plan = ClusterDnsPlan.of(layout);
            rows.add(List.of("dns", ClusterDnsPlan.DNS_ROLE, dns.clusterIp() + ":53", pid(state, ClusterDnsPlan.DNS_ROLE),
                    processState(state, ClusterDnsPlan.DNS_ROLE, "drover lab down, then up")));
            rows.add(List.of("dns", ClusterDnsPlan.RESOLVER_ROLE, plan.resolverAddress(),
                    pid(state, ClusterDnsPlan.RESOLVER_ROLE),
                    processState(state, ClusterDnsPlan.RESOLVER_ROLE, "drover lab down, then up")));
        }
        state.process(LabLauncher.RELAY_ROLE).ifPresent(r -> rows.add(List.of("relay", LabLauncher.RELAY_ROLE,
                "127.0.0.1", pid(state, r.role()), processState(state, r.role(), "drover lab down, then up"))));
        return rows;
    }

    private static String pid(LabState state, String role) {
        return state.process(role).filter(p -> p.identity().isRunning()).map(p -> Long.toString(p.pid())).orElse("-");
    }

    /** up, stopped (on purpose: how to start it), exited (not on purpose), or not started. */
    private static String processState(LabState state, String role, String start) {
        Optional<LabState.ProcessRecord> p = state.process(role);
        if (p.isEmpty()) {
            return "not started";
        }
        if (p.get().identity().isRunning()) {
            return "up";
        }
        return p.get().stopped() ? "stopped (" + start + ")" : "exited (see " + p.get().log() + "; " + start + ")";
    }
}
