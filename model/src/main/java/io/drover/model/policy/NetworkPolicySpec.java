package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.meta.SelectorSpec;
import java.util.List;

/**
 * @param podSelector the pods of the policy's namespace it applies to ({@code {}}: all of them)
 * @param policyTypes {@code Ingress}, {@code Egress} or both; when omitted, Ingress always, and Egress when the
 *                    policy has egress rules (Kubernetes' defaulting)
 * @param ingress     rules for traffic to the selected pods; each allows what its peers and ports both match
 * @param egress      rules for traffic from the selected pods
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicySpec(SelectorSpec podSelector, List<String> policyTypes, List<NetworkPolicyRule> ingress,
        List<NetworkPolicyRule> egress) {

    public static final String INGRESS = "Ingress";
    public static final String EGRESS = "Egress";
    public static final NetworkPolicySpec EMPTY = new NetworkPolicySpec(null, null, null, null);

    public NetworkPolicySpec {
        podSelector = podSelector == null ? SelectorSpec.EVERYTHING : podSelector;
        policyTypes = policyTypes == null ? null : List.copyOf(policyTypes);
        ingress = ingress == null ? null : List.copyOf(ingress);
        egress = egress == null ? null : List.copyOf(egress);
    }

    /** Whether the selected pods are isolated for ingress: policyTypes names Ingress, or is omitted. */
    @JsonIgnore
    public boolean appliesToIngress() {
        return policyTypes == null || policyTypes.isEmpty() || policyTypes.contains(INGRESS);
    }

    /** Whether the selected pods are isolated for egress: policyTypes names Egress, or is omitted and there are egress rules. */
    @JsonIgnore
    public boolean appliesToEgress() {
        return policyTypes == null || policyTypes.isEmpty()
                ? egress != null && !egress.isEmpty()
                : policyTypes.contains(EGRESS);
    }

    @JsonIgnore
    public List<NetworkPolicyRule> ingressRules() {
        return ingress == null ? List.of() : ingress;
    }

    @JsonIgnore
    public List<NetworkPolicyRule> egressRules() {
        return egress == null ? List.of() : egress;
    }
}
