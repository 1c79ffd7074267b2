package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The last health check of an endpoint.
 *
 * @param status    {@value #PASSING}, {@value #FAILING} or {@value #UNKNOWN} (not checked yet)
 * @param output    what the check saw: the HTTP status line, the connect error, the script's output (trimmed)
 * @param checkedAt when, as an RFC 3339 instant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointHealth(String status, String output, String checkedAt) {

    public static final String PASSING = "passing";
    public static final String FAILING = "failing";
    public static final String UNKNOWN = "unknown";

    public static EndpointHealth unknown() {
        return new EndpointHealth(UNKNOWN, null, null);
    }
}
