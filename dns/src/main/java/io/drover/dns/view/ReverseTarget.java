package io.drover.dns.view;

/**
 * What an address names in reverse (PTR): a service's cluster IP ({@code hostname} null:
 * {@code service.namespace.svc.zone}) or one of its endpoints ({@code hostname.service.namespace.svc.zone}).
 */
public record ReverseTarget(String hostname, String service, String namespace) {}
