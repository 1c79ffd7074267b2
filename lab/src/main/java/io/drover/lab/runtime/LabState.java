package io.drover.lab.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a running lab is made of, as recorded in its state file: enough for {@code lab down} to undo it, for the
 * CLI to find its server, and for the fault verbs ({@code lab node|etcd|server stop|start|cut|heal}) to act on its
 * parts. The namespace list is a record, not the only source: teardown also scans /run/netns for the lab's names,
 * because a run killed half-way may have created a namespace it never got to record.
 *
 * @param name       the lab name
 * @param nodes      the number of lab nodes (node-1 ... node-N)
 * @param serverUrl  the URL of the lab's (first) API server, or null until it is known; a lab with several servers
 *                   lists them all in its topology, and {@link RunningLabs} hands out the first that answers
 * @param dataDir    the directory of the lab server's data, or null (a lab on etcd keeps its data in the members')
 * @param namespaces the namespace names the lab created, in creation order
 * @param processes  the processes the lab started (also those stopped on purpose, marked so)
 * @param topology   how the lab is built (mode, underlay, store, members, servers); null in the state of a lab
 *                   made by an older Drover, which is read as {@link Topology#DEFAULT}
 * @param cut        the nodes whose underlay link is cut ({@code lab node cut}), in the order they were cut
 */
public record LabState(
        String name, int nodes, String serverUrl, String dataDir, List<String> namespaces, List<ProcessRecord> processes,
        Topology topology, List<String> cut) {

    /**
     * A process the lab started, identified by PID and start time so that a recycled PID is never signalled.
     *
     * @param role      what it is, e.g. {@code server} or {@code agent-node-1}; also its log file's name
     * @param namespace the network namespace it runs in, or null for the namespace of the command that started the
     *                  lab (the servers and the agents: they reach each other over its loopback)
     * @param command   the command line
     * @param log       the file its standard output and error go to
     * @param stopped   whether it was stopped on purpose ({@code lab node stop}, say): its record stays, so that it
     *                  can be started again with the same command
     */
    public record ProcessRecord(String role, long pid, long startTime, String namespace, List<String> command, String log,
            boolean stopped) {

        public ProcessRecord {
            command = command == null ? List.of() : List.copyOf(command);
        }

        public ProcessRecord(String role, long pid, long startTime, String namespace, List<String> command, String log) {
            this(role, pid, startTime, namespace, command, log, false);
        }

        public ProcessIdentity identity() {
            return new ProcessIdentity(pid, startTime);
        }

        public ProcessRecord asStopped() {
            return new ProcessRecord(role, pid, startTime, namespace, command, log, true);
        }

        public ProcessRecord withCommand(List<String> newCommand) {
            return new ProcessRecord(role, pid, startTime, namespace, newCommand, log, stopped);
        }
    }

    /**
     * How a lab is built, as {@code lab up} was told.
     *
     * @param mode     how pods reach pods of other nodes: {@code routed} or {@code vxlan}
     * @param underlay {@code flat} or {@code routed} ({@link FabricLayout.Kind})
     * @param store    {@code embedded} or {@code etcd}
     * @param etcd     the etcd members (none with the embedded store)
     * @param servers  the API servers, in order (server-1 first)
     * @param apiUrl   the lab's API front (the relay that hands each connection to the first server that takes it,
     *                 as a load balancer in front of several servers would), which the agents use; null when the lab
     *                 has one server, which the agents then talk to directly
     * @param clusterDns the lab's cluster DNS service, which pods' resolv.conf names; null for a lab without one
     */
    public record Topology(String mode, String underlay, String store, List<EtcdMember> etcd, List<Server> servers,
            String apiUrl, ClusterDnsRecord clusterDns) {

        public static final String EMBEDDED = "embedded";
        public static final String ETCD = "etcd";
        /** What the state of a lab made before labs had a topology means. */
        public static final Topology DEFAULT = new Topology("routed", "flat", EMBEDDED, List.of(), List.of(), null);

        public Topology {
            etcd = etcd == null ? List.of() : List.copyOf(etcd);
            servers = servers == null ? List.of() : List.copyOf(servers);
        }

        /** A topology without cluster DNS. */
        public Topology(String mode, String underlay, String store, List<EtcdMember> etcd, List<Server> servers,
                String apiUrl) {
            this(mode, underlay, store, etcd, servers, apiUrl, null);
        }

        public Topology withServers(List<Server> newServers) {
            return new Topology(mode, underlay, store, etcd, newServers, apiUrl, clusterDns);
        }

        public Topology withEtcd(List<EtcdMember> members) {
            return new Topology(mode, underlay, store, members, servers, apiUrl, clusterDns);
        }

        public Topology withApiUrl(String url) {
            return new Topology(mode, underlay, store, etcd, servers, url, clusterDns);
        }

        public Topology withClusterDns(ClusterDnsRecord dns) {
            return new Topology(mode, underlay, store, etcd, servers, apiUrl, dns);
        }

        public FabricLayout.Kind underlayKind() {
            return FabricLayout.Kind.parse(underlay);
        }
    }

    /**
     * An etcd member of the lab: it runs in the fabric namespace on an underlay address of its own.
     *
     * @param name      its name, {@code etcd-N} (also its process role)
     * @param clientUrl where it serves clients, on its lab address (inside the lab)
     * @param peerUrl   where the other members reach it
     * @param relayUrl  where the lab's servers reach it: the lab's relay, on this machine's loopback, forwards into
     *                  the fabric namespace (the lab has no link to the host's network)
     * @param dataDir   its data directory
     */
    public record EtcdMember(String name, String clientUrl, String peerUrl, String relayUrl, String dataDir) {}

    /**
     * The lab's cluster DNS, as its pods see it.
     *
     * @param clusterIp the DNS service's address (the nameserver of pods' resolv.conf)
     * @param domain    the cluster domain
     */
    public record ClusterDnsRecord(String clusterIp, String domain) {}

    /**
     * An API server of the lab.
     *
     * @param name its name, {@code server-N}
     * @param role its process role ({@code server} for the first, {@code server-N} for the others)
     * @param url  its URL, once known
     */
    public record Server(String name, String role, String url) {}

    public LabState {
        new LabNames(name);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        processes = processes == null ? List.of() : List.copyOf(processes);
        cut = cut == null ? List.of() : List.copyOf(cut);
    }

    public LabState(String name, int nodes, String serverUrl, String dataDir, List<String> namespaces,
            List<ProcessRecord> processes) {
        this(name, nodes, serverUrl, dataDir, namespaces, processes, null, List.of());
    }

    public static LabState create(String name, int nodes) {
        return new LabState(name, nodes, null, null, List.of(), List.of());
    }

    /** The topology, or {@link Topology#DEFAULT} for a lab recorded without one. */
    public Topology effectiveTopology() {
        return topology == null ? Topology.DEFAULT : topology;
    }

    public LabState withTopology(Topology newTopology) {
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, processes, newTopology, cut);
    }

    public LabState withNamespace(String namespace) {
        if (namespaces.contains(namespace)) {
            return this;
        }
        List<String> more = new ArrayList<>(namespaces);
        more.add(namespace);
        return new LabState(name, nodes, serverUrl, dataDir, more, processes, topology, cut);
    }

    public LabState withoutNamespace(String namespace) {
        List<String> fewer = new ArrayList<>(namespaces);
        fewer.remove(namespace);
        return new LabState(name, nodes, serverUrl, dataDir, fewer, processes, topology, cut);
    }

    public LabState withProcess(ProcessRecord process) {
        List<ProcessRecord> more = new ArrayList<>(processes);
        more.add(process);
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, more, topology, cut);
    }

    /** Replaces the record of {@code process.role()} in place (or adds it), e.g. a process started again. */
    public LabState withProcessReplaced(ProcessRecord process) {
        List<ProcessRecord> next = new ArrayList<>(processes);
        int at = -1;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).role().equals(process.role())) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            next.add(process);
        } else {
            next.set(at, process);
            final int keep = at;
            // Only one record per role: drop older duplicates.
            for (int i = next.size() - 1; i >= 0; i--) {
                if (i != keep && next.get(i).role().equals(process.role())) {
                    next.remove(i);
                }
            }
        }
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, next, topology, cut);
    }

    /** Drops the record of a process that was stopped on purpose (a pod's command whose pod went). */
    public LabState withoutProcess(String role) {
        List<ProcessRecord> fewer = new ArrayList<>(processes);
        fewer.removeIf(p -> p.role().equals(role));
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, fewer, topology, cut);
    }

    /** The recorded process of a role, e.g. {@code server}. */
    public Optional<ProcessRecord> process(String role) {
        return processes.stream().filter(p -> p.role().equals(role)).reduce((first, later) -> later);
    }

    public LabState withServer(String newServerUrl, String newDataDir) {
        return new LabState(name, nodes, newServerUrl, newDataDir, namespaces, processes, topology, cut);
    }

    /** Marks a node's underlay link cut ({@code true}) or healed. */
    public LabState withCut(String node, boolean isCut) {
        List<String> next = new ArrayList<>(cut);
        next.remove(node);
        if (isCut) {
            next.add(node);
        }
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, processes, topology, next);
    }

    /**
     * The lab's servers: those of its topology, or for a lab recorded without one its single server.
     */
    public List<Server> servers() {
        if (topology != null && !topology.servers().isEmpty()) {
            return topology.servers();
        }
        return List.of(new Server("server-1", LabLauncher.SERVER_ROLE, serverUrl));
    }
}
