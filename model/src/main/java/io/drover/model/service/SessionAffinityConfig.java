package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Kubernetes' {@code sessionAffinityConfig}: how long a client stays with its endpoint under ClientIP affinity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionAffinityConfig(ClientIPConfig clientIP) {

    /** @param timeoutSeconds 1 to 86400; {@value ServiceSpec#DEFAULT_AFFINITY_TIMEOUT_SECONDS} (3 hours) when omitted */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientIPConfig(Integer timeoutSeconds) {}

    public static SessionAffinityConfig timeout(int seconds) {
        return new SessionAffinityConfig(new ClientIPConfig(seconds));
    }
}
