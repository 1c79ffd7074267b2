package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.policy.IpBlock;
import java.util.List;

/**
 * A set of pods or addresses, as a security group's member and as a firewall rule's source, destination or
 * applied-to scope. Exactly one of three forms:
 * <ul>
 *   <li>{@code group}: the members of the named SecurityGroup, computed as pods come and go;</li>
 *   <li>pods: those matching {@code podSelector} (omitted: every pod) in the namespaces matching
 *       {@code namespaceSelector} or listed in {@code namespaces} (neither: every namespace). Firewall objects are
 *       cluster-scoped, so a podSelector alone looks at every namespace, unlike NetworkPolicy's;</li>
 *   <li>{@code ipBlock}: the addresses of a CIDR less its excepts, pods' addresses included.</li>
 * </ul>
 * Namespaces named or selected need not exist: their pods become members when they appear.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallPeer(String group, SelectorSpec podSelector, SelectorSpec namespaceSelector, List<String> namespaces,
        IpBlock ipBlock) {

    public FirewallPeer {
        namespaces = namespaces == null ? null : List.copyOf(namespaces);
    }

    public static FirewallPeer group(String name) {
        return new FirewallPeer(name, null, null, null, null);
    }

    public static FirewallPeer pods(SelectorSpec podSelector, SelectorSpec namespaceSelector) {
        return new FirewallPeer(null, podSelector, namespaceSelector, null, null);
    }

    public static FirewallPeer inNamespaces(SelectorSpec podSelector, List<String> namespaces) {
        return new FirewallPeer(null, podSelector, null, namespaces, null);
    }

    public static FirewallPeer block(IpBlock block) {
        return new FirewallPeer(null, null, null, null, block);
    }

    /** Whether the peer chooses pods by selectors or namespace names (rather than a group or a block). */
    @JsonIgnore
    public boolean selectsPods() {
        return podSelector != null || namespaceSelector != null || namespaces != null;
    }
}
