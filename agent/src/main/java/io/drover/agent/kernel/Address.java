package io.drover.agent.kernel;

import io.drover.model.net.IpAddresses;
import java.net.InetAddress;

/** An address on an interface, with its prefix length: 10.10.0.7/16. */
public record Address(InetAddress ip, int prefixLength) {

    public static Address parse(String text) {
        int slash = text.indexOf('/');
        return new Address(IpAddresses.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return IpAddresses.format(ip) + "/" + prefixLength;
    }
}
