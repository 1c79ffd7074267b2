package io.drover.model.net;

public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public static IpFamily of(java.net.InetAddress address) {
        return address instanceof java.net.Inet4Address ? IPV4 : IPV6;
    }
}
