package io.drover.model.network;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the IPAM controller reports about a network's address space. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkStatus(Long allocatedAddresses, Long blocks) {}
