package io.drover.agent.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An http check: {@code GET http://address:port/path} (HTTP/1.1, {@code Connection: close}); a 2xx or 3xx status
 * passes, as Consul's and kubelet's, and a redirect is not followed (it says the server is up). The output is the
 * status line. Only the status line is read, so a large or slow body costs nothing.
 *
 * <p>A minimal client rather than {@code java.net.http.HttpClient}, because the socket must be made in the node's
 * network namespace ({@link SocketOpener}), which HttpClient cannot be told to do.
 */
final class HttpProber {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");
    /** Longer than any status line: a server answering something else is not read on forever. */
    private static final int MAX_STATUS_LINE = 1024;

    private final SocketOpener sockets;

    HttpProber(SocketOpener sockets) {
        this.sockets = sockets;
    }

    Outcome probe(Probe.Http probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String target = Endpoints.format(probe.address(), probe.port());
        String url = "http://" + target + probe.path();
        if (!probe.path().startsWith("/") || probe.path().chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return Outcome.fail("'" + probe.path() + "' is not a path that can be requested; write it as /healthz, "
                    + "with spaces and other special characters %-encoded");
        }
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(probe.address());
        } catch (IllegalArgumentException e) {
            return Outcome.fail("'" + probe.address() + "' is not an IP address");
        }
        boolean connected = false;
        try (SocketChannel channel = sockets.open(Endpoints.family(ip))) {
            Socket socket = channel.socket();
            socket.connect(new InetSocketAddress(ip, probe.port()), left(deadline));
            connected = true;
            String request = "GET " + probe.path() + " HTTP/1.1\r\nHost: " + target
                    + "\r\nUser-Agent: drover-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out); // a few hundred bytes: the socket's buffer takes them at once
            }
            String line = statusLine(socket, deadline);
            Matcher m = STATUS_LINE.matcher(line);
            if (!m.matches()) {
                return Outcome.fail(line.isEmpty() ? "GET " + url + ": the connection closed without an answer"
                        : "GET " + url + " answered something other than HTTP: " + line);
            }
            int status = Integer.parseInt(m.group(1));
            return status >= 200 && status < 400 ? Outcome.pass(line) : Outcome.fail(line);
        } catch (SocketTimeoutException e) {
            return Outcome.fail("GET " + url + ": " + (connected ? "no answer" : "no connection") + " within "
                    + Endpoints.seconds(timeout));
        } catch (IOException | RuntimeException e) {
            return Outcome.fail("GET " + url + ": " + Endpoints.message(e));
        }
    }

    /** The first line of the answer, without its line end; whatever came when the connection closed early. */
    private static String statusLine(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        while (line.size() < MAX_STATUS_LINE) {
            socket.setSoTimeout(left(deadline)); // each read gets what is left of the attempt's time
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, 0, i);
                    return text(line);
                }
            }
            line.write(buffer, 0, n);
        }
        return text(line);
    }

    private static String text(ByteArrayOutputStream bytes) {
        String s = bytes.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** What is left of the attempt's time, for a socket timeout; a spent deadline times out at once. */
    private static int left(long deadline) throws SocketTimeoutException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("the check's time is up");
        }
        return Endpoints.millis(Duration.ofNanos(nanos));
    }
}
