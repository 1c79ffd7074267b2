package io.drover.cli.lab;

import io.drover.api.client.ServerUrls;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.RunningLabs;
import java.net.URI;

/**
 * The lab a verb works in and the server to ask about its pods: {@code --lab NAME} or the one lab that is up, and
 * {@code --server URL} or that lab's own server (of a lab with several servers, the first that takes a connection, so
 * that the lab stays reachable while one is stopped: {@link RunningLabs}). For the verbs that reach into pods'
 * namespaces: {@code lab exec} and {@code probe}.
 *
 * @param clusterDns the lab's cluster DNS, or null when it runs none
 */
public record LabConnection(LabNames names, URI server, LabState.ClusterDnsRecord clusterDns) {

    public static LabConnection resolve(DroverCommand drover, String lab, String server) {
        LabState state;
        try {
            state = RunningLabs.choose(LabDirectory.store(drover.context()), lab).orElseThrow(() -> new CliException(
                    "no lab is up on this machine; start one with 'drover lab up'"));
        } catch (LabException e) {
            throw new CliException(e.getMessage());
        }
        URI url = server != null && !server.isBlank() ? drover.serverUrl(server) : ServerUrls.parse(state.serverUrl());
        return new LabConnection(LabNames.of(state.name()), url, state.effectiveTopology().clusterDns());
    }
}
