package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What the server allocated beyond the spec: a LoadBalancer service's addresses, as Kubernetes' status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceStatus(LoadBalancerStatus loadBalancer) {

    /** @param ingress the addresses the service answers at from outside; one from the pools in Drover */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadBalancerStatus(List<LoadBalancerIngress> ingress) {
        public LoadBalancerStatus {
            ingress = ingress == null ? null : List.copyOf(ingress);
        }
    }

    /** @param hostname accepted as Kubernetes has it; Drover's pools hand out addresses only */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadBalancerIngress(String ip, String hostname) {}

    public static ServiceStatus loadBalancerAt(String ip) {
        return new ServiceStatus(new LoadBalancerStatus(List.of(new LoadBalancerIngress(ip, null))));
    }

    @JsonIgnore
    public List<String> loadBalancerIps() {
        if (loadBalancer == null || loadBalancer.ingress() == null) {
            return List.of();
        }
        return loadBalancer.ingress().stream().map(LoadBalancerIngress::ip).filter(ip -> ip != null && !ip.isEmpty()).toList();
    }
}
