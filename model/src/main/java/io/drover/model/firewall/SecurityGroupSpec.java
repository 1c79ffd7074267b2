package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param members who belongs: a pod or address is a member when any entry includes it (an entry may name another
 *                group, whose members then belong too). Empty: no members.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityGroupSpec(List<FirewallPeer> members) {

    public static final SecurityGroupSpec EMPTY = new SecurityGroupSpec(null);

    public SecurityGroupSpec {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
