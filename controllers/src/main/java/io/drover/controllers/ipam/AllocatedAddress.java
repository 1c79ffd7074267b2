package io.drover.controllers.ipam;

import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;

/** An address handed out: what an interface is configured with. */
public record AllocatedAddress(String network, String ip, int prefix, String gateway) {

    public IpFamily family() {
        return IpFamily.of(IpAddresses.parse(ip));
    }

    /** {@code 10.10.0.7/16}: the form {@code ip addr add} takes. */
    public String cidrNotation() {
        return ip + "/" + prefix;
    }
}
