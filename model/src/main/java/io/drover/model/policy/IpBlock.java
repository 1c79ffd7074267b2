package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Addresses in {@code cidr} except those in any of {@code except} (each inside {@code cidr}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IpBlock(String cidr, List<String> except) {
    public IpBlock {
        except = except == null ? List.of() : List.copyOf(except);
    }
}
