package io.drover.agent.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the node's services, remembering what it rendered for each service port, so that a sync in which one
 * service changed renders that one alone: with 10,000 services, rendering all of them again on every sync would cost
 * more than the change itself. A port is rendered again when its input changes (the input holds everything the
 * rendering reads, endpoints included) or the node's configuration does.
 *
 * <p>One per agent, used by its sync thread; synchronized all the same, as a calculation must not see another's half.
 */
public final class ServiceRenderings {

    private ServiceNodeConfig config;
    private Map<ServiceRuleInput, ServiceRules.Part> parts = Map.of();
    private int renderedLast;

    /** As {@link ServiceRules#of}, reusing the renderings of unchanged service ports. */
    public synchronized ServiceRules render(ServiceNodeConfig config, Collection<ServiceRuleInput> services) {
        Map<ServiceRuleInput, ServiceRules.Part> previous = config.equals(this.config) ? parts : Map.of();
        Map<ServiceRuleInput, ServiceRules.Part> next = HashMap.newHashMap(services.size());
        int rendered = 0;
        for (ServiceRuleInput service : services) {
            ServiceRules.Part part = previous.get(service);
            if (part == null) {
                part = ServicePortRules.render(service, config);
                rendered++;
            }
            next.put(service, part);
        }
        this.renderedLast = rendered;
        // Remembered before assembling: a clash between two services fails the assembly, not the renderings.
        this.config = config;
        this.parts = next;
        return ServiceRules.assemble(config, next.values());
    }

    /** How many service ports the last {@link #render} had to render, not finding them remembered (diagnostics). */
    public synchronized int renderedLast() {
        return renderedLast;
    }

    /** How many service ports are remembered (for tests and diagnostics). */
    public synchronized int size() {
        return parts.size();
    }
}
