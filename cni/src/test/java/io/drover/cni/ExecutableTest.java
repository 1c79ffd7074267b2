package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cni.Processes.Run;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The compiled drover-cni executable (cni/target/bin) against an agent stand-in: a {@link CniSocketServer} with a
 * {@link FakeHandler}, on a unix socket in a temporary directory. Each call runs the executable as a runtime would, with
 * nothing but the CNI_* variables (and the socket's) in its environment.
 */
class ExecutableTest {

    static final Path EXECUTABLE = Path.of(System.getProperty("drover.cni.executable", "target/bin/drover-cni"));

    @TempDir
    Path dir;

    private Path socket;
    private Path netns;
    private FakeHandler handler;
    private CniSocketServer server;

    @BeforeEach
    void start() throws IOException {
        assertThat(EXECUTABLE).as("the build compiles drover-cni before the tests").isExecutable();
        socket = dir.resolve("agent.sock");
        netns = Files.createFile(dir.resolve("netns-c1")); // stands in for /run/netns/NAME: the path exists
        handler = new FakeHandler();
        server = CniSocketServer.start(socket, new CniDispatcher(handler));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static Run run(Map<String, String> env, byte[] stdin) throws IOException, InterruptedException {
        return Processes.run(List.of(EXECUTABLE.toString()), env, stdin);
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c1");
        env.put("CNI_NETNS", netns.toString());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1");
        env.put(CniWire.SOCKET_ENV, socket.toString());
        return env;
    }

    private static byte[] config(String version) {
        return ("{\"cniVersion\":\"" + version + "\",\"name\":\"blue\",\"type\":\"drover\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withPrev(String version, String prev) {
        return ("{\"cniVersion\":\"" + version + "\",\"name\":\"blue\",\"type\":\"drover\",\"prevResult\":" + prev + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void addCheckDelRoundTrip() throws Exception {
        Run add = run(env("ADD"), config("1.0.0"));
        assertThat(add.exit()).as(add.toString()).isZero();
        CniResult made = handler.attachments.values().iterator().next();
        assertThat(add.stdout()).isEqualTo(made.render(CniVersion.V1_0_0));
        assertThat(add.stderr()).isEmpty();
        CniRequest request = handler.calls.getFirst();
        assertThat(request.pod()).isEqualTo(new CniRequest.PodRef("shop", "web-1", true));
        assertThat(request.netns()).isEqualTo(netns.toString());

        Run check = run(env("CHECK"), withPrev("1.0.0", add.stdout()));
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(check.stdout()).isEmpty();

        Run del = run(env("DEL"), withPrev("1.0.0", add.stdout()));
        assertThat(del.exit()).isZero();
        assertThat(del.stdout()).isEmpty();
        Run delAgain = run(env("DEL"), config("1.0.0"));
        assertThat(delAgain.exit()).as("DEL is idempotent").isZero();

        Run checkGone = run(env("CHECK"), withPrev("1.0.0", add.stdout()));
        assertThat(checkGone.exit()).isEqualTo(1);
        assertThat(checkGone.json().get("code").intValue()).isEqualTo(CniError.UNKNOWN_CONTAINER);
        assertThat(handler.calls).extracting(CniRequest::command).containsExactly(CniCommand.ADD, CniCommand.CHECK,
                CniCommand.DEL, CniCommand.DEL, CniCommand.CHECK);
    }

    @Test
    void addAnswersInTheConfigsVersion() throws Exception {
        Run add = run(env("ADD"), config("0.4.0"));
        assertThat(add.exit()).isZero();
        JsonNode r = add.json();
        assertThat(r.get("cniVersion").stringValue()).isEqualTo("0.4.0");
        assertThat(r.at("/ips/0/version").stringValue()).isEqualTo("4");
    }

    @Test
    void statusAndGc() throws Exception {
        Map<String, String> status = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin",
                CniWire.SOCKET_ENV, socket.toString());
        Run ok = run(status, config("1.1.0"));
        assertThat(ok.exit()).isZero();
        assertThat(ok.stdout()).isEmpty();
        handler.statusError = new CniError(CniError.LIMITED_CONNECTIVITY, "the data plane is not programmed");
        Run limited = run(status, config("1.1.0"));
        assertThat(limited.exit()).isEqualTo(1);
        assertThat(limited.json().get("code").intValue()).isEqualTo(51);

        for (String id : List.of("c1", "c2")) {
            Map<String, String> env = env("ADD");
            env.put("CNI_CONTAINERID", id);
            assertThat(run(env, config("1.1.0")).exit()).isZero();
        }
        Map<String, String> gc = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin",
                CniWire.SOCKET_ENV, socket.toString());
        Run collected = run(gc, """
                {"cniVersion": "1.1.0", "name": "blue", "type": "drover",
                 "cni.dev/valid-attachments": [{"containerID": "c2", "ifname": "eth0"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertThat(collected.exit()).as(collected.toString()).isZero();
        assertThat(handler.attachments.keySet()).extracting(FakeHandler.Key::containerId).containsExactly("c2");
    }

    @Test
    void versionIsAnsweredWithoutTheAgent() throws Exception {
        server.close();
        server = null;
        Run v = run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}".getBytes());
        assertThat(v.exit()).isZero();
        assertThat(v.stdout()).isEqualTo(new CniReply.Versions().toResponse().stdoutText());
    }

    @Test
    void withoutCommandPrintsAboutWithoutTheAgent() throws Exception {
        server.close();
        server = null;
        Run about = run(Map.of("CNI_CONTAINERID", "c1"), config("1.0.0"));
        assertThat(about.exit()).isZero();
        assertThat(about.stdout()).isEmpty();
        assertThat(about.stderr()).matches("CNI drover plugin version \\S+\n"
                + "CNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n");
    }

    @Test
    void agentNotRunningIsTryAgainLaterSayingHowToStartIt() throws Exception {
        server.close();
        server = null;
        Run r = run(env("ADD"), config("0.4.0"));
        assertThat(r.exit()).isEqualTo(1);
        JsonNode e = r.json();
        assertThat(e.get("cniVersion").stringValue()).isEqualTo("0.4.0");
        assertThat(e.get("code").intValue()).isEqualTo(11);
        assertThat(e.get("msg").stringValue()).isEqualTo("the Drover node agent is not running");
        assertThat(e.get("details").stringValue()).startsWith("no agent answers on " + socket)
                .contains("start it with: drover agent");
        assertThat(r.stdout()).startsWith("{\n    \"cniVersion\": \"0.4.0\",\n    \"code\": 11,\n    \"msg\": ");

        // A socket file that nobody listens on (an agent that died) is the same.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        Run refused = run(env("DEL"), "not even JSON".getBytes());
        assertThat(refused.json().get("code").intValue()).isEqualTo(11);
        assertThat(refused.json().get("cniVersion").stringValue()).isEqualTo("1.1.0");
        assertThat(refused.json().get("details").stringValue()).contains("Connection refused");
    }

    @Test
    void theConfigsSocketComesBeforeTheEnvironment() throws Exception {
        Map<String, String> env = env("ADD");
        env.put(CniWire.SOCKET_ENV, dir.resolve("elsewhere.sock").toString());
        String cfg = "{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"type\":\"drover\",\"socket\":"
                + GoJson.quote(socket.toString()) + "}";
        assertThat(run(env, cfg.getBytes()).exit()).isZero();

        String otherCfg = "{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"socket\":\"" + dir.resolve("nope.sock") + "\"}";
        env.put(CniWire.SOCKET_ENV, socket.toString());
        env.put("CNI_CONTAINERID", "c2");
        Run r = run(env, otherCfg.getBytes());
        assertThat(r.json().get("code").intValue()).isEqualTo(11);
        assertThat(r.json().get("details").stringValue()).contains(dir.resolve("nope.sock").toString());
    }

    @Test
    void theDefaultSocketIsUsedWithoutConfigOrEnvironment() throws Exception {
        Map<String, String> env = env("ADD");
        env.remove(CniWire.SOCKET_ENV);
        Run r = run(env, config("1.0.0"));
        // Whatever this machine has at /run/drover/agent.sock, the executable must have tried that path.
        if (r.exit() != 0) {
            assertThat(r.json().get("details").stringValue()).contains(CniWire.DEFAULT_SOCKET);
        }
    }

    @Test
    void validationErrorsComeFromTheAgentUnchanged() throws Exception {
        Map<String, String> env = env("ADD");
        env.remove("CNI_CONTAINERID");
        Run r = run(env, config("1.0.0"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEqualTo("""
                {
                    "cniVersion": "1.0.0",
                    "code": 4,
                    "msg": "required env variables [CNI_CONTAINERID] missing"
                }""");
        Run malformed = run(env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"type\":\"bridge\"".getBytes());
        assertThat(malformed.json().get("msg").stringValue())
                .isEqualTo("error unmarshall network config: unexpected end of JSON input");
        Map<String, String> gone = env("ADD");
        gone.put("CNI_NETNS", dir.resolve("no-such-netns").toString());
        assertThat(run(gone, config("1.0.0")).json().get("code").intValue()).isEqualTo(4);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void largeStdinArrivesWhole() throws Exception {
        String filler = "x".repeat(3 * 1024 * 1024);
        byte[] big = ("{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"type\":\"drover\",\"args\":{\"filler\":\"" + filler
                + "\"}}").getBytes(StandardCharsets.UTF_8);
        Run r = run(env("ADD"), big);
        assertThat(r.exit()).as(r.stdout()).isZero();
        assertThat(handler.calls.getFirst().config().args().get("filler").stringValue()).hasSize(filler.length());
    }

    @Test
    void stdinLargerThanAFrameIsRefused() throws Exception {
        byte[] huge = new byte[CniWire.MAX_FRAME + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        Run r = run(env("ADD"), huge);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().get("code").intValue()).isEqualTo(CniError.IO_FAILURE);
        assertThat(r.json().get("details").stringValue()).contains("larger than 16 MiB");
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void everyCniVariableIsForwardedAndNothingElse() throws Exception {
        List<CniWire.Request> seen = new ArrayList<>();
        server.close();
        server = CniSocketServer.start(socket, req -> {
            seen.add(req);
            return new CniWire.Response(3, "out".getBytes(), "err".getBytes());
        }, Duration.ofSeconds(5));
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS_OVERRIDE", "1");
        env.put("HOME", "/root");
        Run r = run(env, config("1.0.0"));
        assertThat(r).isEqualTo(new Run(3, "out", "err"));
        Map<String, String> forwarded = new LinkedHashMap<>(env);
        forwarded.remove("HOME");
        forwarded.remove(CniWire.SOCKET_ENV);
        assertThat(seen).singleElement().satisfies(req -> {
            assertThat(req.env()).containsExactlyInAnyOrderEntriesOf(forwarded);
            assertThat(req.stdin()).isEqualTo(config("1.0.0"));
        });
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeIsTryAgainLater() throws Exception {
        server.close();
        server = null;
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            Map<String, String> env = env("ADD");
            env.put(CniWire.TIMEOUT_ENV, "1");
            long start = System.nanoTime();
            Run r = run(env, config("1.0.0"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(r.json().get("code").intValue()).isEqualTo(11);
            assertThat(r.json().get("msg").stringValue()).isEqualTo("the Drover node agent did not answer in time");
        }
    }

    @Test
    void anAgentThatHangsUpIsTryAgainLaterAndGarbageIsAnIoFailure() throws Exception {
        server.close();
        server = null;
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = fake.accept()) {
                    CniWire.readRequest(Channels.newInputStream(c));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Run r = run(env("ADD"), config("1.0.0"));
            hangUp.join();
            assertThat(r.json().get("code").intValue()).isEqualTo(11);
            assertThat(r.json().get("msg").stringValue())
                    .isEqualTo("the Drover node agent closed the connection before answering");

            CompletableFuture<Void> garbage = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = fake.accept()) {
                    CniWire.readRequest(Channels.newInputStream(c));
                    c.write(java.nio.ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Run g = run(env("ADD"), config("1.0.0"));
            garbage.join();
            assertThat(g.json().get("code").intValue()).isEqualTo(CniError.IO_FAILURE);
            assertThat(g.json().get("msg").stringValue()).isEqualTo("bad answer from the Drover node agent");
        }
    }

    @Test
    void aSocketPathTooLongForUnixIsAConfigError() throws Exception {
        String cfg = "{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"socket\":\"/" + "d".repeat(120) + "\"}";
        Run r = run(env("ADD"), cfg.getBytes());
        assertThat(r.json().get("code").intValue()).isEqualTo(CniError.INVALID_NETWORK_CONFIG);
        assertThat(r.json().get("msg").stringValue()).isEqualTo("the Drover agent socket path is too long");
    }

    @Test
    void concurrentCallsAreServedTogether() throws Exception {
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Map<String, String> env = env("ADD");
            env.put("CNI_CONTAINERID", "c" + i);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return run(env, config("1.0.0"));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Run> f : runs) {
            assertThat(f.join().exit()).isZero();
        }
        assertThat(handler.attachments).hasSize(16);
    }

    @Test
    void theJarCarriesTheExecutableAndInstallsIt() throws IOException {
        assertThat(DroverCniExecutable.packaged()).isTrue();
        Path installed = DroverCniExecutable.install(dir.resolve("opt/cni/bin"), DroverCniExecutable.TYPE);
        assertThat(installed).hasFileName("drover").isExecutable();
        assertThat(Files.getPosixFilePermissions(installed)).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.mismatch(installed, EXECUTABLE)).isEqualTo(-1L);
        assertThat(Files.list(installed.getParent())).containsExactly(installed); // no temporary file left
        // Installing again replaces it in place.
        DroverCniExecutable.install(dir.resolve("opt/cni/bin"), DroverCniExecutable.TYPE);
        assertThat(Files.mismatch(installed, EXECUTABLE)).isEqualTo(-1L);
    }
}
