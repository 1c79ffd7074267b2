package io.drover.lab.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a running lab is made of, as recorded in its state file: enough for {@code lab down} to undo it and for
 * the CLI to find its server. The namespace list is a record, not the only source: teardown also scans /run/netns
 * for the lab's names, because a run killed half-way may have created a namespace it never got to record.
 *
 * @param name       the lab name
 * @param nodes      the number of lab nodes (node-1 ... node-N)
 * @param serverUrl  the URL of the lab's API server, or null until it is known
 * @param dataDir    the directory of the lab server's data, or null
 * @param namespaces the namespace names the lab created, in creation order
 * @param processes  the processes the lab started
 */
public record LabState(
        String name, int nodes, String serverUrl, String dataDir, List<String> namespaces, List<ProcessRecord> processes) {

    /**
     * A process the lab started, identified by PID and start time so that a recycled PID is never signalled.
     *
     * @param role      what it is, e.g. {@code server} or {@code agent-node-1}; also its log file's name
     * @param namespace the network namespace it runs in, or null for the namespace of the command that started the
     *                  lab (the server and the agents: they reach each other over its loopback)
     * @param command   the command line
     * @param log       the file its standard output and error go to
     */
    public record ProcessRecord(String role, long pid, long startTime, String namespace, List<String> command, String log) {

        public ProcessRecord {
            command = command == null ? List.of() : List.copyOf(command);
        }

        public ProcessIdentity identity() {
            return new ProcessIdentity(pid, startTime);
        }
    }

    public LabState {
        new LabNames(name);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    public static LabState create(String name, int nodes) {
        return new LabState(name, nodes, null, null, List.of(), List.of());
    }

    public LabState withNamespace(String namespace) {
        if (namespaces.contains(namespace)) {
            return this;
        }
        List<String> more = new ArrayList<>(namespaces);
        more.add(namespace);
        return new LabState(name, nodes, serverUrl, dataDir, more, processes);
    }

    public LabState withoutNamespace(String namespace) {
        List<String> fewer = new ArrayList<>(namespaces);
        fewer.remove(namespace);
        return new LabState(name, nodes, serverUrl, dataDir, fewer, processes);
    }

    public LabState withProcess(ProcessRecord process) {
        List<ProcessRecord> more = new ArrayList<>(processes);
        more.add(process);
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, more);
    }

    /** Drops the record of a process that was stopped on purpose (a pod's command whose pod went). */
    public LabState withoutProcess(String role) {
        List<ProcessRecord> fewer = new ArrayList<>(processes);
        fewer.removeIf(p -> p.role().equals(role));
        return new LabState(name, nodes, serverUrl, dataDir, namespaces, fewer);
    }

    /** The recorded process of a role, e.g. {@code server}. */
    public java.util.Optional<ProcessRecord> process(String role) {
        return processes.stream().filter(p -> p.role().equals(role)).findFirst();
    }

    public LabState withServer(String newServerUrl, String newDataDir) {
        return new LabState(name, nodes, newServerUrl, newDataDir, namespaces, processes);
    }
}
