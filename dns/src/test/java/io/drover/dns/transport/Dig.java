package io.drover.dns.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code dig} (bind9-dnsutils) against a server on loopback: never the machine's resolver. */
public final class Dig {

    private Dig() {}

    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "dig"))) {
                return true;
            }
        }
        return false;
    }

    public record Result(int exitCode, String out) {}

    /** {@code dig @ADDR -p PORT ARGS...} with one try and a short timeout, reading no ~/.digrc. */
    public static Result run(InetSocketAddress server, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dig", "-r", "@" + server.getAddress().getHostAddress(), "-p",
                String.valueOf(server.getPort()), "+tries=1", "+time=3"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("dig did not finish: " + command);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
