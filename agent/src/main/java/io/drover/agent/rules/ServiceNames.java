package io.drover.agent.rules;

/**
 * The names of a service port's chains and sets: readable ({@code svc.shop.web.http},
 * {@code ep.shop.web.http/10.180.0.1/80}) so that {@code nft list table} tells whose they are, and within nft's
 * 255 characters, by a digest of the readable name when a service's names would not fit.
 */
final class ServiceNames {

    private final String id;

    ServiceNames(ServiceRuleInput service) {
        this.id = service.namespace() + "." + service.name() + "."
                + (service.portName().isEmpty() ? service.protocolName() + service.port() : service.portName());
    }

    /** Balances over every ready endpoint (cluster policy). */
    String cluster() {
        return bounded("svc." + id);
    }

    /** Balances over the ready endpoints on this node (Local policies). */
    String local() {
        return bounded("local." + id);
    }

    /** Where external addresses and the NodePort lead: masquerade or keep the source, then choose. */
    String external() {
        return bounded("ext." + id);
    }

    /** loadBalancerSourceRanges. */
    String firewall() {
        return bounded("fw." + id);
    }

    /** DNAT to one endpoint. */
    String endpoint(ServiceEndpoint endpoint) {
        return bounded("ep." + id + "/" + endpoint.address().replace(':', '/'));
    }

    /**
     * The clients an endpoint has for ClientIP affinity. The timeout is part of the name: nft cannot change a set's
     * timeout in place, and a new name makes a changed timeout an ordinary new set (and a restarted agent sees it).
     */
    String affinity(ServiceEndpoint endpoint, long timeoutSeconds) {
        return bounded("aff." + id + "/" + endpoint.address().replace(':', '/') + "/t" + timeoutSeconds);
    }

    private static String bounded(String readable) {
        if (readable.length() <= PolicyRules.MAX_NAME) {
            return readable;
        }
        return readable.substring(0, readable.indexOf('.')) + ".h" + PolicyRules.digest(readable, 10);
    }
}
