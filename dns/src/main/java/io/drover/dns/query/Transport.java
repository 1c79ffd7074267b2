package io.drover.dns.query;

/** How a query arrived: over UDP an answer must fit the client's size (else TC), over TCP it need not. */
public enum Transport { UDP, TCP }
