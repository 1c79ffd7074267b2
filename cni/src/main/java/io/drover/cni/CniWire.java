package io.drover.cni;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The frames the drover-cni executable and the agent exchange over the agent's unix socket. The protocol is written
 * down once, in {@code src/main/c/drover_cni_protocol.h}; the constants here must equal the ones there (a test
 * checks). In short: {@code u32 length} then a payload; request = magic, the CNI_* variables, stdin; response =
 * magic, exit status, stdout, stderr; every u32 big-endian.
 */
public final class CniWire {

    public static final int REQUEST_MAGIC = 0x44524331; // "DRC1"
    public static final int RESPONSE_MAGIC = 0x44524131; // "DRA1"
    /** The largest payload either side accepts. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;
    public static final String DEFAULT_SOCKET = "/run/drover/agent.sock";
    /** The environment variable naming the socket when the network configuration has no "socket". */
    public static final String SOCKET_ENV = "DROVER_AGENT_SOCKET";
    public static final String TIMEOUT_ENV = "DROVER_CNI_TIMEOUT";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private CniWire() {}

    /** A call as the executable received it: its CNI_* environment and its stdin, unchanged. */
    public record Request(Map<String, String> env, byte[] stdin) {
        public Request {
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
            Objects.requireNonNull(stdin, "stdin");
        }
    }

    /** What the executable writes and exits with. */
    public record Response(int exitCode, byte[] stdout, byte[] stderr) {
        public Response {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        public Response(int exitCode, String stdout) {
            this(exitCode, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
        }

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** A frame that breaks the protocol: wrong magic, a length out of bounds, or a short payload. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    // ---- requests (the executable writes them; Java writes them only in tests and tools) ----------------------------

    public static byte[] encodeRequest(Request request) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            out.writeInt(REQUEST_MAGIC);
            out.writeInt(request.env().size());
            for (Map.Entry<String, String> e : request.env().entrySet()) {
                writeBlob(out, (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
            writeBlob(out, request.stdin());
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        return frame(payload.toByteArray());
    }

    /**
     * Reads one request frame.
     *
     * @throws EOFException when the stream ends before the frame does
     * @throws ProtocolException when the frame is malformed
     */
    public static Request readRequest(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(readFrame(in)));
        if (data.readInt() != REQUEST_MAGIC) {
            throw new ProtocolException("not a drover-cni request (bad magic)");
        }
        int count = data.readInt();
        if (count < 0 || count > data.available() / 4) {
            throw new ProtocolException("bad number of environment entries: " + Integer.toUnsignedString(count));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            String entry = new String(readBlob(data), StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ProtocolException("environment entry without NAME=: " + entry);
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        byte[] stdin = readBlob(data);
        if (data.available() != 0) {
            throw new ProtocolException(data.available() + " bytes after the end of the request");
        }
        return new Request(env, stdin);
    }

    // ---- responses ----------------------------------------------------------------------------------------------

    public static byte[] encodeResponse(Response response) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            out.writeInt(RESPONSE_MAGIC);
            out.writeInt(response.exitCode());
            writeBlob(out, response.stdout());
            writeBlob(out, response.stderr());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return frame(payload.toByteArray());
    }

    public static Response readResponse(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(readFrame(in)));
        if (data.readInt() != RESPONSE_MAGIC) {
            throw new ProtocolException("not a drover agent response (bad magic)");
        }
        int exit = data.readInt();
        byte[] stdout = readBlob(data);
        byte[] stderr = readBlob(data);
        if (data.available() != 0) {
            throw new ProtocolException(data.available() + " bytes after the end of the response");
        }
        return new Response(exit, stdout, stderr);
    }

    public static void writeResponse(OutputStream out, Response response) throws IOException {
        out.write(encodeResponse(response));
        out.flush();
    }

    // ---- framing ------------------------------------------------------------------------------------------------

    private static byte[] frame(byte[] payload) {
        if (payload.length > MAX_FRAME) {
            throw new IllegalArgumentException("frame of " + payload.length + " bytes exceeds " + MAX_FRAME);
        }
        byte[] out = new byte[4 + payload.length];
        putInt(out, 0, payload.length);
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException("connection closed before a frame (" + header.length + " of 4 length bytes)");
        }
        long length = Integer.toUnsignedLong(getInt(header, 0));
        if (length > MAX_FRAME) {
            throw new ProtocolException("frame of " + length + " bytes exceeds the limit of " + MAX_FRAME);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("connection closed after " + payload.length + " of " + length + " frame bytes");
        }
        return payload;
    }

    private static void writeBlob(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBlob(DataInputStream in) throws IOException {
        if (in.available() < 4) {
            throw new ProtocolException("frame ends inside a length field");
        }
        long n = Integer.toUnsignedLong(in.readInt());
        if (n > in.available()) {
            throw new ProtocolException("field of " + n + " bytes runs past the end of the frame");
        }
        return in.readNBytes((int) n);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
