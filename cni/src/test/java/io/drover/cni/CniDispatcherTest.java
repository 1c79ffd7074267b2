package io.drover.cni;

import static io.drover.cni.Transcript.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cni.NetworkConfig.Attachment;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The dispatcher against the reference plugins' transcript: every validation error they print, Drover prints with the
 * same code, msg and details; and the semantic cases (DEL idempotent, DEL with the namespace gone, CHECK after DEL)
 * reach the handler and come back as the specification wants.
 */
class CniDispatcherTest {

    private static final String NETNS = "/var/run/netns/cnitest1";
    private static final String CONFIG_100 = "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"type\":\"drover\"}";

    private FakeHandler handler;
    private CniDispatcher dispatcher;
    private Transcript transcript;

    @BeforeEach
    void setUp() throws IOException {
        handler = new FakeHandler();
        // The transcript's namespace exists on the machine that recorded it; "does-not-exist" did not.
        dispatcher = new CniDispatcher(handler, path -> path.startsWith("/var/run/netns/cnitest"));
        transcript = Transcript.load();
    }

    private static Map<String, String> env(String command, String containerId, String ifName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", NETNS);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    private CniWire.Response call(Map<String, String> env, String stdin) {
        return dispatcher.dispatch(new CniWire.Request(env, bytes(stdin)));
    }

    private static JsonNode json(CniWire.Response r) {
        return CniResultTest.JSON.readTree(r.stdoutText());
    }

    private static void assertError(CniWire.Response r, String cniVersion, int code, String msg, String details) {
        assertThat(r.exitCode()).as("exit status").isEqualTo(1);
        JsonNode e = json(r);
        assertThat(e.get("cniVersion").stringValue()).isEqualTo(cniVersion);
        assertThat(e.get("code").intValue()).isEqualTo(code);
        assertThat(e.get("msg").stringValue()).isEqualTo(msg);
        if (details == null) {
            assertThat(e.has("details")).as("no details").isFalse();
        } else {
            assertThat(e.get("details").stringValue()).isEqualTo(details);
        }
    }

    // ---- the transcript's validation errors, replayed with its own environment and stdin -------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ADD malformed JSON", "ADD missing CNI_CONTAINERID", "ADD missing CNI_NETNS",
        "unknown CNI_COMMAND", "invalid container id", "ifname too long", "CHECK with 0.3.1 config"})
    void answersLikeTheReferencePlugins(String title) {
        Transcript.Case c = transcript.get(title);
        JsonNode expected = CniResultTest.JSON.readTree(c.stdout());
        CniWire.Response r = call(c.env(), c.stdin());
        assertThat(r.exitCode()).isEqualTo(c.exit());
        JsonNode actual = json(r);
        assertThat(actual.get("code")).isEqualTo(expected.get("code"));
        assertThat(actual.get("msg")).isEqualTo(expected.get("msg"));
        assertThat(actual.get("details")).isEqualTo(expected.get("details"));
        assertThat(handler.calls).isEmpty();
        // Beyond the reference (which omits it), the error carries cniVersion as the specification asks.
        assertThat(actual.get("cniVersion").isString()).isTrue();
        // Same layout too: the reference's text with a cniVersion line added.
        assertThat(r.stdoutText()).isEqualTo(c.stdout().replaceFirst("\\{\n",
                "{\n    \"cniVersion\": " + GoJson.quote(actual.get("cniVersion").stringValue()) + ",\n"));
    }

    @Test
    void anUnsupportedVersionListsDroversVersions() {
        Transcript.Case c = transcript.get("ADD unsupported cniVersion");
        JsonNode expected = CniResultTest.JSON.readTree(c.stdout());
        assertThat(expected.get("details").stringValue()).startsWith("config is \"9.9.9\", plugin supports [\"0.1.0\"");
        assertError(call(c.env(), c.stdin()), "1.1.0", 1, expected.get("msg").stringValue(),
                "config is \"9.9.9\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" \"1.1.0\"]");
    }

    @Test
    void withoutCniCommandPrintsAboutOnStderrAndSucceeds() {
        Transcript.Case c = transcript.get("no CNI_COMMAND (about)");
        CniWire.Response r = call(c.env(), c.stdin());
        assertThat(r.exitCode()).isEqualTo(c.exit()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderrText()).isEqualTo(CniDispatcher.ABOUT)
                .endsWith("CNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n");
        assertThat(c.stderr()).startsWith("CNI bridge plugin version").contains("CNI protocol versions supported: ");
    }

    @Test
    void versionAnswersOnOneLineWithoutReadingStdin() {
        Transcript.Case c = transcript.get("VERSION");
        CniWire.Response r = call(c.env(), "this is not JSON");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutText()).isEqualTo(
                "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
        assertThat(c.stdout()).startsWith("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[");
    }

    // ---- the transcript's semantic cases --------------------------------------------------------------------------

    @Test
    void addThenCheckThenDelTwiceThenDelWithTheNamespaceGone() {
        Transcript.Case add = transcript.get("ADD ok (1.0.0)");
        CniWire.Response added = call(add.env(), CONFIG_100);
        assertThat(added.exitCode()).isZero();
        JsonNode result = json(added);
        assertThat(result.get("cniVersion").stringValue()).isEqualTo("1.0.0");
        assertThat(result.at("/interfaces/1/sandbox").stringValue()).isEqualTo(NETNS);
        assertThat(result.at("/ips/0/interface").intValue()).isEqualTo(1);
        assertThat(result.at("/ips/0").has("version")).isFalse();

        String withPrev = "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"type\":\"drover\",\"prevResult\":"
                + added.stdoutText() + "}";
        CniWire.Response checked = call(transcript.get("CHECK ok").env(), withPrev);
        assertThat(checked.exitCode()).isZero();
        assertThat(checked.stdout()).isEmpty();

        for (String title : List.of("DEL 1", "DEL 2 (idempotent)", "DEL netns gone")) {
            CniWire.Response del = call(transcript.get(title).env(), withPrev);
            assertThat(del.exitCode()).as(title).isZero();
            assertThat(del.stdout()).as(title).isEmpty();
        }
        assertThat(handler.attachments).isEmpty();
        assertThat(handler.calls).extracting(CniRequest::command).containsExactly(CniCommand.ADD, CniCommand.CHECK,
                CniCommand.DEL, CniCommand.DEL, CniCommand.DEL);
        assertThat(handler.calls.get(4).netns()).isEqualTo("/var/run/netns/does-not-exist");

        CniWire.Response after = call(transcript.get("CHECK after DEL").env(), withPrev);
        assertError(after, "1.0.0", CniError.UNKNOWN_CONTAINER, "no attachment of container c1 to network t through"
                + " eth0", null);
    }

    @Test
    void aSecondAddOnTheSameInterfaceIsRefusedWithTheHandlersError() {
        Transcript.Case add = transcript.get("ADD again same ifname");
        assertThat(call(add.env(), CONFIG_100).exitCode()).isZero();
        CniWire.Response again = call(add.env(), CONFIG_100);
        assertError(again, "1.0.0", CniError.INVALID_ENVIRONMENT, "CNI_IFNAME is already in use",
                "an interface named eth0 already exists in " + NETNS
                        + "; choose another CNI_IFNAME, or DEL the attachment that made it first");
    }

    @Test
    void anAddResultTakesTheShapeOfEachVersion() {
        for (CniVersion v : CniVersion.values()) {
            String config = "{\"cniVersion\":\"" + v.text() + "\",\"name\":\"t\",\"type\":\"drover\"}";
            CniWire.Response r = call(env("ADD", "c-" + v.ordinal(), "eth0"), config);
            assertThat(r.exitCode()).isZero();
            JsonNode result = json(r);
            assertThat(result.get("cniVersion").stringValue()).isEqualTo(v.text());
            assertThat(result.at("/ips/0").has("version")).isEqualTo(v.ipsCarryVersion());
        }
    }

    @Test
    void delNeedsNoNamespaceNorPrevResult() {
        Map<String, String> env = env("DEL", "c1", "eth0");
        env.remove("CNI_NETNS");
        CniWire.Response r = call(env, CONFIG_100);
        assertThat(r.exitCode()).isZero();
        assertThat(handler.calls).singleElement().satisfies(c -> {
            assertThat(c.netns()).isEmpty();
            assertThat(c.config().prevResult()).isEmpty();
        });
    }

    @Test
    void delIgnoresAnUnreadablePrevResultWhileCheckRejectsIt() {
        String garbled = "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"prevResult\":{\"ips\":[{\"address\":\"nope\"}]}}";
        CniWire.Response del = call(env("DEL", "c1", "eth0"), garbled);
        assertThat(del.exitCode()).isZero();
        assertThat(handler.calls.getFirst().config().prevResult()).isEmpty();
        CniWire.Response check = call(env("CHECK", "c1", "eth0"), garbled);
        assertError(check, "1.0.0", 6, "could not parse prevResult",
                "ips[].address \"nope\" is not an address with a prefix length (e.g. 10.1.0.5/24)");
    }

    // ---- more validation ------------------------------------------------------------------------------------------

    @Test
    void listsEveryMissingVariableInLibcnisOrder() {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "ADD", "CNI_IFNAME", "eth0"));
        assertError(call(env, CONFIG_100), "1.0.0", 4,
                "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_PATH] missing", null);
        Map<String, String> gc = new HashMap<>(Map.of("CNI_COMMAND", "GC"));
        assertError(call(gc, CONFIG_100), "1.0.0", 4, "required env variables [CNI_PATH] missing", null);
    }

    @Test
    void commandsAreCaseSensitive() {
        assertError(call(env("add", "c1", "eth0"), CONFIG_100), "1.0.0", 4, "unknown CNI_COMMAND: add", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\n"})
    void emptyStdinIsAnUnmarshalError(String stdin) {
        assertError(call(env("ADD", "c1", "eth0"), stdin), "1.1.0", 6,
                "error unmarshall network config: unexpected end of JSON input", null);
    }

    @Test
    void configErrorsBeforeTheHandler() {
        Map<String, String> add = env("ADD", "c1", "eth0");
        assertError(call(add, "{\"cniVersion\":\"1.0.0\",\"name\":\"t\"} x"), "1.1.0", 6,
                "error unmarshall network config: invalid character 'x' after top-level value", null);
        assertError(call(add, "[1]"), "1.1.0", 6,
                "error unmarshall network config: json: cannot unmarshal array into a network configuration (an"
                        + " object)", null);
        assertError(call(add, "{\"cniVersion\":\"1.0.0\",\"name\":7}"), "1.0.0", 6,
                "error unmarshall network config: json: cannot unmarshal number into Go struct field .name of type"
                        + " string", null);
        assertError(call(add, "{\"cniVersion\":\"1.0.0\"}"), "1.0.0", 7, "missing network name", null);
        assertError(call(add, "null"), "1.1.0", 7, "missing network name", null);
        assertError(call(add, "{\"cniVersion\":\"1.0.0\",\"name\":\"-bad name\"}"), "1.0.0", 7,
                "invalid characters found in network name", "-bad name");
        assertError(call(add, "{\"cniVersion\":1,\"name\":\"t\"}"), "1.1.0", 6,
                "decoding version from network config: json: cannot unmarshal number into Go struct field"
                        + " .cniVersion of type string", null);
        assertError(call(add, "{\"name\":\"t\"}"), "1.1.0", 1, "incompatible CNI versions",
                "config is \"0.1.0\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" \"1.1.0\"]");
        assertError(call(add, "{\"cniVersion\":\"0.2.0\",\"name\":\"t\"}"), "1.1.0", 1, "incompatible CNI versions",
                "config is \"0.2.0\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" \"1.1.0\"]");
        assertError(call(add, "{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"network\":\"\"}"), "1.0.0", 7,
                "invalid network config", "\"network\" is empty; name the Drover network to join, or leave the field"
                        + " out to join the network named like the configuration (\"t\")");
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void interfaceNameRules() {
        String[][] cases = {
            {"", "interface name is empty"},
            {".", "interface name is . or .."},
            {"..", "interface name is . or .."},
            {"eth/0", "interface name contains / or : or whitespace characters"},
            {"eth:0", "interface name contains / or : or whitespace characters"},
            {"eth 0", "interface name contains / or : or whitespace characters"},
        };
        for (String[] c : cases) {
            Map<String, String> env = env("ADD", "c1", c[0]);
            if (c[0].isEmpty()) {
                env.put("CNI_COMMAND", "FOO"); // an empty ifname is "missing" for ADD; FOO reaches the name check
            }
            assertError(call(env, CONFIG_100), "1.0.0", 4, c[1], null);
        }
        assertThat(call(env("ADD", "c1", "e".repeat(15)), CONFIG_100).exitCode()).isZero();
    }

    @Test
    void aMissingContainerIdOfAnUnknownCommandIsAnUnknownContainer() {
        Map<String, String> env = env("FOO", "", "eth0");
        assertError(call(env, CONFIG_100), "1.0.0", 3, "missing containerID", null);
    }

    @Test
    void checkGcAndStatusNeedTheirVersions() {
        Map<String, String> check = env("CHECK", "c1", "eth0");
        assertError(call(check, "{\"cniVersion\":\"0.3.0\",\"name\":\"t\"}"), "0.3.0", 1,
                "config version does not allow CHECK", null);
        assertError(call(check, "{\"cniVersion\":\"9.9.9\",\"name\":\"t\"}"), "1.1.0", 1,
                "plugin version does not allow CHECK", null);
        assertError(call(check, "{\"cniVersion\":\"x.1\",\"name\":\"t\"}"), "1.1.0", 6,
                "failed to convert major version part \"x\": strconv.Atoi: parsing \"x\": invalid syntax", null);
        Map<String, String> gc = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin");
        assertError(call(gc, CONFIG_100), "1.0.0", 1, "config version does not allow GC", null);
        Map<String, String> status = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin");
        assertError(call(status, "{\"cniVersion\":\"0.4.0\",\"name\":\"t\"}"), "0.4.0", 1,
                "config version does not allow STATUS", null);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void addAndCheckNeedAnExistingNamespace() {
        Map<String, String> add = env("ADD", "c1", "eth0");
        add.put("CNI_NETNS", "/var/run/netns/does-not-exist");
        CniWire.Response r = call(add, CONFIG_100);
        assertError(r, "1.0.0", 4, "CNI_NETNS names a network namespace that does not exist",
                "/var/run/netns/does-not-exist does not exist; pass the path of the container's network namespace"
                        + " (e.g. /run/netns/NAME or /proc/PID/ns/net)");
        add.put("CNI_COMMAND", "CHECK");
        assertThat(json(call(add, CONFIG_100)).get("code").intValue()).isEqualTo(4);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void checkNeedsPrevResult() {
        assertError(call(env("CHECK", "c1", "eth0"), CONFIG_100), "1.0.0", 7, "invalid network config",
                "required prevResult missing: CHECK verifies the result of the ADD, which the runtime passes as"
                        + " \"prevResult\"");
    }

    @Test
    void badCniArgsAreAnInvalidVariable() {
        Map<String, String> env = env("ADD", "c1", "eth0");
        env.put("CNI_ARGS", "K8S_POD_NAME");
        assertError(call(env, CONFIG_100), "1.0.0", 4, "invalid CNI_ARGS",
                "ARGS: invalid pair \"K8S_POD_NAME\"; CNI_ARGS holds KEY=VALUE pairs separated by ';'");
    }

    @Test
    void theHandlerSeesArgsAndTheRequestFields() {
        Map<String, String> env = env("ADD", "c1", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1");
        assertThat(call(env, "{\"cniVersion\":\"0.4.0\",\"name\":\"cni-blue\",\"network\":\"blue\"}").exitCode())
                .isZero();
        CniRequest r = handler.calls.getFirst();
        assertThat(r.command()).isEqualTo(CniCommand.ADD);
        assertThat(r.containerId()).isEqualTo("c1");
        assertThat(r.netns()).isEqualTo(NETNS);
        assertThat(r.ifName()).isEqualTo("eth0");
        assertThat(r.path()).isEqualTo("/opt/cni/bin");
        assertThat(r.pod()).isEqualTo(new CniRequest.PodRef("shop", "web-1", true));
        assertThat(r.config().network()).isEqualTo("blue");
        assertThat(r.config().cniVersion()).isEqualTo(CniVersion.V0_4_0);
    }

    @Test
    void gcReceivesTheValidAttachmentsAndRemovesTheRest() {
        for (String id : List.of("c1", "c2", "c3")) {
            assertThat(call(env("ADD", id, "eth0"), "{\"cniVersion\":\"1.1.0\",\"name\":\"t\"}").exitCode()).isZero();
        }
        Map<String, String> gc = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin");
        CniWire.Response r = call(gc, """
                {"cniVersion": "1.1.0", "name": "t", "type": "drover",
                 "cni.dev/valid-attachments": [{"containerID": "c1", "ifname": "eth0"},
                                               {"containerID": "c3", "ifname": "eth0"}]}""");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEmpty();
        CniRequest request = handler.calls.getLast();
        assertThat(request.command()).isEqualTo(CniCommand.GC);
        assertThat(request.containerId()).isEmpty();
        assertThat(request.config().validAttachments()).containsExactly(new Attachment("c1", "eth0"),
                new Attachment("c3", "eth0"));
        assertThat(handler.attachments.keySet()).extracting(FakeHandler.Key::containerId)
                .containsExactlyInAnyOrder("c1", "c3");
    }

    @Test
    void statusSucceedsOrFailsWith50Or51() {
        Map<String, String> status = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin");
        String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"t\"}";
        assertThat(call(status, config).exitCode()).isZero();
        handler.statusError = new CniError(CniError.PLUGIN_NOT_AVAILABLE, "the Drover node agent is not ready",
                "it has not synced with the API server yet");
        assertError(call(status, config), "1.1.0", 50, "the Drover node agent is not ready",
                "it has not synced with the API server yet");
    }

    @Test
    void handlerErrorsKeepTheirCodeAndUnexpectedOnesBecome999() {
        assertThat(call(env("ADD", "c1", "eth0"), "{\"cniVersion\":\"0.3.1\",\"name\":\"t\"}").exitCode()).isZero();
        handler.crash = new IllegalStateException("netlink said no");
        assertError(call(env("ADD", "c2", "eth0"), "{\"cniVersion\":\"0.3.1\",\"name\":\"t\"}"), "0.3.1", 999,
                "internal error in the Drover node agent", "IllegalStateException: netlink said no; see the agent's log");
    }

    @Test
    void aPoolExhaustedErrorAsksToTryAgainLater() {
        CniError e = CniError.poolExhausted("blue", "all 253 addresses of 10.99.0.0/24 are in use");
        CniWire.Response r = new CniReply.Failure(e, "1.0.0").toResponse();
        assertError(r, "1.0.0", 11, "no free address in network blue", "all 253 addresses of 10.99.0.0/24 are in use");
        CniError port = CniError.portInUse("tcp", null, 8080, "pod shop/web-1");
        assertThat(port.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(port.msg()).isEqualTo("host port 8080/tcp is already taken");
    }
}
