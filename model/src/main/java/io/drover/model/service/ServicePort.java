package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.policy.PortReference;

/**
 * One port of a service.
 *
 * @param name        required when the service has several ports; endpoints and DNS SRV records name ports by it
 * @param protocol    TCP (default), UDP or SCTP
 * @param port        the port of the service's addresses
 * @param targetPort  the pods' port: a number, or the name of a port each pod declares (resolved per pod); the same
 *                    number as {@code port} when omitted
 * @param nodePort    the port on every node (NodePort and LoadBalancer services); allocated when omitted
 * @param appProtocol a hint for what the port speaks (e.g. http); kept, not interpreted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServicePort(String name, String protocol, Integer port, PortReference targetPort, Integer nodePort,
        String appProtocol) {

    public static ServicePort tcp(String name, int port, PortReference targetPort) {
        return new ServicePort(name, null, port, targetPort, null, null);
    }

    @JsonIgnore
    public String effectiveProtocol() {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /** Where connections go on the pods: targetPort, or (omitted or 0, as Kubernetes defaults it) the port number. */
    @JsonIgnore
    public PortReference effectiveTargetPort() {
        boolean omitted = targetPort == null || targetPort.numberValue().filter(n -> n == 0).isPresent();
        return omitted ? PortReference.number(port == null ? 0 : port) : targetPort;
    }

    public ServicePort withNodePort(Integer newNodePort) {
        return new ServicePort(name, protocol, port, targetPort, newNodePort, appProtocol);
    }

    /** {@code 80/TCP}, or {@code 80:30080/TCP} with a node port, as kubectl prints it. */
    @Override
    public String toString() {
        return port + (nodePort == null ? "" : ":" + nodePort) + "/" + effectiveProtocol();
    }
}
