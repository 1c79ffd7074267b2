package io.drover.cli.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.cli.CliHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code drover server --store embedded --dns 127.0.0.1:0} as a real process, then {@code drover dns} beside it:
 * a service applied with the CLI is answered over UDP and TCP (dnsjava's resolver, and dig when installed), and both
 * stop on SIGTERM.
 */
class DnsE2ETest {

    private static final Pattern SERVER_LINE = Pattern.compile("listening on (http://[^ ]+) .*; DNS on ([0-9.]+):(\\d+)\\)");
    private static final Pattern DNS_LINE = Pattern.compile("Drover DNS serving \\S+ on ([0-9.]+):(\\d+) ");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theServersDnsAndDroverDnsAnswerAnAppliedService() throws Exception {
        Matcher server = start(SERVER_LINE, "server", "--store", "embedded", "--data", dir.resolve("data").toString(),
                "--listen", "127.0.0.1:0", "--dns", "127.0.0.1:0");
        String url = server.group(1);
        SimpleResolver inProcess = resolver(server.group(2), server.group(3));

        Path manifest = dir.resolve("svc.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  ports:
                  - {name: http, port: 80, protocol: TCP}
                """);
        CliHarness.Result applied = CliHarness.run("apply", "-f", manifest.toString(), "--server", url);
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        CliHarness.Result got = CliHarness.run("get", "svc", "web", "-o", "json", "--server", url);
        Matcher ip = Pattern.compile("\"clusterIP\"\\s*:\\s*\"([0-9.]+)\"").matcher(got.out());
        assertThat(ip.find()).as(got.out()).isTrue();
        String clusterIp = ip.group(1);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(addresses(inProcess, "web.default.svc.cluster.local.")).containsExactly(clusterIp));
        inProcess.setTCP(true);
        assertThat(addresses(inProcess, "web.default.svc.cluster.local.")).containsExactly(clusterIp);
        Message srv = inProcess.send(Message.newQuery(Record.newRecord(
                Name.fromString("_http._tcp.web.default.svc.cluster.local."), Type.SRV, DClass.IN)));
        assertThat(srv.getSection(Section.ANSWER)).singleElement().satisfies(r ->
                assertThat(r.rdataToString()).isEqualTo("0 100 80 web.default.svc.cluster.local."));

        if (digInstalled()) {
            for (String transport : List.of("+notcp", "+tcp")) {
                assertThat(dig(server.group(2), server.group(3), transport, "+short", "web.default.svc.cluster.local"))
                        .isEqualTo(clusterIp);
            }
            assertThat(dig(server.group(2), server.group(3), "+short", "-x", clusterIp))
                    .isEqualTo("web.default.svc.cluster.local.");
        }

        // drover dns on its own, reading the same server over REST.
        Matcher standalone = start(DNS_LINE, "dns", "--server", url, "--listen", "127.0.0.1:0", "--ttl", "7");
        SimpleResolver remote = resolver(standalone.group(1), standalone.group(2));
        Message m = remote.send(Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."),
                Type.A, DClass.IN)));
        assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.rdataToString()).isEqualTo(clusterIp);
            assertThat(r.getTTL()).isEqualTo(7);
        });
        assertThat(remote.send(Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN)))
                .getRcode()).as("no upstream: refused").isEqualTo(Rcode.REFUSED);

        for (Process p : started) {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
        }
    }

    @Test
    void badDnsFlagsSayWhatIsWrongAndWhatToWrite() {
        CliHarness.Result listen = CliHarness.run("dns", "--listen", "localhost:53");
        assertThat(listen.exitCode()).isEqualTo(1);
        assertThat(listen.err()).contains("--listen").contains("is not an IP address").contains("127.0.0.1:1053");
        CliHarness.Result noPort = CliHarness.run("dns", "--listen", "127.0.0.1");
        assertThat(noPort.err()).contains("--listen").contains("has no port");
        CliHarness.Result upstream = CliHarness.run("dns", "--upstream", "dns.google");
        assertThat(upstream.exitCode()).isEqualTo(1);
        assertThat(upstream.err()).contains("--upstream").contains("not an IP address");
        CliHarness.Result upstreamPort = CliHarness.run("dns", "--upstream", "10.0.0.2:99999");
        assertThat(upstreamPort.err()).contains("--upstream").contains("port \"99999\" must be a number from 1 to 65535");
        CliHarness.Result zone = CliHarness.run("dns", "--zone", "cluster..local");
        assertThat(zone.exitCode()).isEqualTo(1);
        assertThat(zone.err()).contains("--zone").contains("empty label").contains("cluster.local");
        CliHarness.Result badLabel = CliHarness.run("dns", "--zone", "my_cluster.local");
        assertThat(badLabel.err()).contains("--zone").contains("'my_cluster'");
        CliHarness.Result ttl = CliHarness.run("dns", "--ttl", "-1");
        assertThat(ttl.err()).contains("--ttl").contains("0 to 3600");
        CliHarness.Result serverZone = CliHarness.run("server", "--dns-zone", "corp.example");
        assertThat(serverZone.exitCode()).isEqualTo(1);
        assertThat(serverZone.err()).contains("--dns-zone").contains("add --dns");
        CliHarness.Result serverDns = CliHarness.run("server", "--dns", "127.0.0.1:x");
        assertThat(serverDns.err()).contains("--dns").contains("port \"x\"");
    }

    private Matcher start(Pattern ready, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-DDROVER_LOG_LEVEL=WARN", "io.drover.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = ready.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new IllegalStateException("drover " + args[0] + " did not start: " + seen);
    }

    private static SimpleResolver resolver(String host, String port) throws IOException {
        SimpleResolver r = new SimpleResolver(new java.net.InetSocketAddress(host, Integer.parseInt(port)));
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    private static List<String> addresses(SimpleResolver r, String name) throws IOException {
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    private static boolean digInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "dig"))) {
                return true;
            }
        }
        System.out.println("dig is not installed: the e2e test checks with dnsjava's resolver only");
        return false;
    }

    private static String dig(String host, String port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dig", "-r", "@" + host, "-p", port, "+tries=1", "+time=3"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assumeTrue(p.waitFor(20, TimeUnit.SECONDS), "dig finished");
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            p.destroyForcibly();
        }
    }
}
