package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Hex dumps in tests: the golden messages are written as hex, whitespace ignored. */
final class Hex {

    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex)).order(ByteOrder.nativeOrder());
    }
}
