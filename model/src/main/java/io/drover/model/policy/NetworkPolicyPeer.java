package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.meta.SelectorSpec;

/**
 * A peer of a rule: pods chosen by labels ({@code podSelector}: in the policy's namespace;
 * {@code namespaceSelector}: all pods of the matching namespaces; both: the matching pods of the matching
 * namespaces), or addresses ({@code ipBlock}, alone).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicyPeer(SelectorSpec podSelector, SelectorSpec namespaceSelector, IpBlock ipBlock) {}
