package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The frame codec, and its agreement with the protocol header the C executable compiles against. */
class CniWireTest {

    private static final Path HEADER = Path.of("src/main/c/drover_cni_protocol.h");

    @Test
    void requestsRoundTripBytesUnchanged() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_ARGS", "A=b=c;K8S_POD_NAME=wéb");
        env.put("CNI_NETNS", "");
        byte[] stdin = {'{', (byte) 0xff, 0, '}'}; // not UTF-8, not JSON: must arrive as sent
        byte[] frame = CniWire.encodeRequest(new CniWire.Request(env, stdin));
        CniWire.Request back = CniWire.readRequest(new ByteArrayInputStream(frame));
        assertThat(back.env()).containsExactlyEntriesOf(env);
        assertThat(back.stdin()).isEqualTo(stdin);
    }

    @Test
    void theRequestLayoutIsTheDocumentedOne() {
        byte[] frame = CniWire.encodeRequest(new CniWire.Request(Map.of("CNI_COMMAND", "DEL"), "{}".getBytes()));
        // length, magic "DRC1", 1 entry, 15 "CNI_COMMAND=DEL", 2 "{}"
        byte[] expected = concat(u32(4 + 4 + 4 + 15 + 4 + 2), "DRC1".getBytes(), u32(1), u32(15),
                "CNI_COMMAND=DEL".getBytes(), u32(2), "{}".getBytes());
        assertThat(frame).isEqualTo(expected);
    }

    @Test
    void responsesRoundTrip() throws IOException {
        CniWire.Response r = new CniWire.Response(1, "{\"code\": 7}".getBytes(), "log line\n".getBytes());
        byte[] frame = CniWire.encodeResponse(r);
        assertThat(Arrays.copyOfRange(frame, 4, 8)).isEqualTo("DRA1".getBytes());
        CniWire.Response back = CniWire.readResponse(new ByteArrayInputStream(frame));
        assertThat(back.exitCode()).isEqualTo(1);
        assertThat(back.stdoutText()).isEqualTo("{\"code\": 7}");
        assertThat(back.stderrText()).isEqualTo("log line\n");
    }

    @Test
    void malformedFramesAreRejected() {
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(new byte[] {0, 0})))
                .isInstanceOf(EOFException.class);
        byte[] huge = u32(CniWire.MAX_FRAME + 1);
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(huge)))
                .isInstanceOf(CniWire.ProtocolException.class).hasMessageContaining("exceeds the limit");
        byte[] shortFrame = concat(u32(100), "DRC1".getBytes());
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(shortFrame)))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 4 of 100");
        byte[] wrongMagic = concat(u32(12), "HTTP".getBytes(), u32(0), u32(0));
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(wrongMagic)))
                .isInstanceOf(CniWire.ProtocolException.class).hasMessageContaining("bad magic");
        byte[] overrun = concat(u32(16), "DRC1".getBytes(), u32(1), u32(1000), "x".repeat(4).getBytes());
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(overrun)))
                .isInstanceOf(CniWire.ProtocolException.class);
        byte[] noEquals = concat(u32(17), "DRC1".getBytes(), u32(1), u32(1), "x".getBytes(), u32(0));
        assertThatThrownBy(() -> CniWire.readRequest(new ByteArrayInputStream(noEquals)))
                .isInstanceOf(CniWire.ProtocolException.class).hasMessageContaining("without NAME=");
        byte[] trailing = concat(u32(17), "DRA1".getBytes(), u32(0), u32(0), u32(0), "x".getBytes());
        assertThatThrownBy(() -> CniWire.readResponse(new ByteArrayInputStream(trailing)))
                .isInstanceOf(CniWire.ProtocolException.class).hasMessageContaining("after the end");
    }

    @Test
    void constantsAgreeWithTheCHeader() throws IOException {
        Map<String, String> defines = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (DROVER_CNI_\\w+) (.+?)(?:\\s*/\\*.*)?$")
                .matcher(Files.readString(HEADER, StandardCharsets.UTF_8));
        while (m.find()) {
            defines.put(m.group(1), m.group(2).strip());
        }
        assertThat(Integer.parseUnsignedInt(defines.get("DROVER_CNI_REQUEST_MAGIC").replace("0x", "").replace("u", ""),
                16)).isEqualTo(CniWire.REQUEST_MAGIC);
        assertThat(Integer.parseUnsignedInt(defines.get("DROVER_CNI_RESPONSE_MAGIC").replace("0x", "").replace("u", ""),
                16)).isEqualTo(CniWire.RESPONSE_MAGIC);
        assertThat(Integer.parseInt(defines.get("DROVER_CNI_MAX_FRAME").replace("u", ""))).isEqualTo(CniWire.MAX_FRAME);
        assertThat(defines.get("DROVER_CNI_DEFAULT_SOCKET")).isEqualTo("\"" + CniWire.DEFAULT_SOCKET + "\"");
        assertThat(defines.get("DROVER_CNI_SOCKET_ENV")).isEqualTo("\"" + CniWire.SOCKET_ENV + "\"");
        assertThat(defines.get("DROVER_CNI_TIMEOUT_ENV")).isEqualTo("\"" + CniWire.TIMEOUT_ENV + "\"");
        assertThat(Integer.parseInt(defines.get("DROVER_CNI_DEFAULT_TIMEOUT_SECONDS")))
                .isEqualTo(CniWire.DEFAULT_TIMEOUT_SECONDS);
        assertThat(defines.get("DROVER_CNI_SPEC_VERSION")).isEqualTo("\"" + CniVersion.CURRENT.text() + "\"");
        assertThat(defines.get("DROVER_CNI_SUPPORTED_VERSIONS"))
                .isEqualTo(String.join(", ", CniVersion.SUPPORTED.stream().map(v -> "\"" + v + "\"").toList()));
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
