package io.drover.cni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one raw CNI call (its CNI_* environment and stdin) into its answer, calling the {@link CniHandler} only for a
 * valid call. The checks, their order, their codes and their messages are those of libcni's plugin skeleton (which
 * every reference plugin runs), so that Drover answers bad input exactly as they do:
 *
 * <ol>
 *   <li>no CNI_COMMAND: the "about" text, exit 0;
 *   <li>missing variables: 4 "required env variables [CNI_CONTAINERID,CNI_NETNS] missing";
 *   <li>VERSION: the supported versions (stdin is not read);
 *   <li>stdin: 6 "error unmarshall network config: unexpected end of JSON input" (Go's message), 7 "missing network
 *       name", 7 "invalid characters found in network name";
 *   <li>except for GC and STATUS: 3 "missing containerID", 4 "invalid characters in containerID", 4 "interface name is
 *       too long" and the other interface name rules;
 *   <li>4 "unknown CNI_COMMAND: FOO";
 *   <li>the version: 1 "config version does not allow CHECK" (likewise GC and STATUS before 1.1.0), 1 "incompatible CNI
 *       versions" with details listing the supported ones;
 *   <li>Drover's own: 4 for bad CNI_ARGS, 7 for bad Drover fields, 6 for an unreadable prevResult (except on DEL,
 *       which ignores it), 4 when ADD or CHECK names a namespace that does not exist, 7 when CHECK has no
 *       prevResult;
 *   <li>the handler; a {@link CniError} it throws is printed as is, any other exception as 999.
 * </ol>
 *
 * <p>Errors carry "cniVersion": the configuration's when it is supported, else {@value #FALLBACK}. Thread-safe.
 */
public final class CniDispatcher {

    private static final String FALLBACK = "1.1.0";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** libcni's rule for container ids and network names. */
    private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final List<String> VARIABLES =
            List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");

    /** What a plugin prints on stderr when run without CNI_COMMAND. */
    public static final String ABOUT = "CNI drover plugin (served by the Drover node agent)\n"
            + "CNI protocol versions supported: " + String.join(", ", CniVersion.SUPPORTED) + "\n";

    private final CniHandler handler;
    private final Predicate<String> netnsExists;

    /** A dispatcher that checks namespace paths on this machine's file system. */
    public CniDispatcher(CniHandler handler) {
        this(handler, CniDispatcher::pathExists);
    }

    /** A dispatcher with its own notion of which namespace paths exist (for tests, or an agent in another mount ns). */
    public CniDispatcher(CniHandler handler, Predicate<String> netnsExists) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.netnsExists = Objects.requireNonNull(netnsExists, "netnsExists");
    }

    /** The wire form: answers a request frame with a response frame. Never throws. */
    public CniWire.Response dispatch(CniWire.Request request) {
        return handle(request.env(), request.stdin()).toResponse();
    }

    /** Answers one call. Never throws: every failure is a {@link CniReply.Failure}. */
    public CniReply handle(Map<String, String> env, byte[] stdin) {
        try {
            return run(env, stdin);
        } catch (CniError e) {
            return new CniReply.Failure(e, errorVersion(stdin));
        } catch (RuntimeException e) {
            CniError internal = new CniError(CniError.INTERNAL, "internal error in the Drover node agent",
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "; see the agent's log");
            return new CniReply.Failure(internal, errorVersion(stdin));
        }
    }

    private CniReply run(Map<String, String> env, byte[] stdin) throws CniError {
        String commandText = env.getOrDefault("CNI_COMMAND", "");
        if (commandText.isEmpty()) {
            return new CniReply.About(ABOUT);
        }
        CniCommand command = CniCommand.of(commandText).orElse(null);
        List<String> missing = new ArrayList<>();
        for (String v : VARIABLES) {
            if (env.getOrDefault(v, "").isEmpty() && command != null && command.requires(v)) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT,
                    "required env variables [" + String.join(",", missing) + "] missing");
        }
        if (command == CniCommand.VERSION) {
            return new CniReply.Versions();
        }

        ObjectNode root = readConfig(stdin);
        String containerId = env.getOrDefault("CNI_CONTAINERID", "");
        String ifName = env.getOrDefault("CNI_IFNAME", "");
        if (command != CniCommand.GC && command != CniCommand.STATUS) {
            validateContainerId(containerId);
            validateInterfaceName(ifName);
        }
        if (command == null) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + commandText);
        }
        CniVersion version = checkVersion(command, root);

        Map<String, String> args = CniRequest.parseArgs(env.get("CNI_ARGS"));
        // DEL must release what it can whatever the runtime passes; an unreadable prevResult counts as none.
        NetworkConfig config = NetworkConfig.parse(root, version, command != CniCommand.DEL);
        String netns = env.getOrDefault("CNI_NETNS", "");
        if ((command == CniCommand.ADD || command == CniCommand.CHECK) && !netnsExists.test(netns)) {
            throw CniError.netnsNotFound(netns);
        }
        if (command == CniCommand.CHECK && config.prevResult().isEmpty()) {
            throw CniError.invalidConfig("required prevResult missing: CHECK verifies the result of the ADD, which"
                    + " the runtime passes as \"prevResult\"");
        }
        boolean attachment = command.isAttachment();
        CniRequest request = new CniRequest(command, attachment ? containerId : "", attachment ? netns : "",
                attachment ? ifName : "", args, env.getOrDefault("CNI_PATH", ""), config);
        switch (command) {
            case ADD -> {
                CniResult result = handler.add(request);
                return new CniReply.Added(Objects.requireNonNull(result, "the handler's ADD result"), version);
            }
            case DEL -> handler.del(request);
            case CHECK -> handler.check(request);
            case STATUS -> handler.status(request);
            case GC -> handler.gc(request);
            case VERSION -> throw new IllegalStateException("answered above");
        }
        return new CniReply.Done();
    }

    /** libcni's validateConfig: the bytes are JSON and name the network. */
    private static ObjectNode readConfig(byte[] stdin) throws CniError {
        String syntax = GoJson.syntaxError(stdin);
        if (syntax != null) {
            throw unmarshal(syntax);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(new String(stdin, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw unmarshal(e.getOriginalMessage());
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            tree = JsonNodeFactory.instance.objectNode(); // Go decodes null into an empty struct
        }
        if (!tree.isObject()) {
            throw unmarshal("json: cannot unmarshal " + goKind(tree) + " into a network configuration (an object)");
        }
        ObjectNode root = (ObjectNode) tree;
        JsonNode name = root.get("name");
        if (name != null && !name.isNull() && !name.isString()) {
            throw unmarshal("json: cannot unmarshal " + goKind(name) + " into Go struct field .name of type string");
        }
        String text = name == null || name.isNull() ? "" : name.stringValue();
        if (text.isEmpty()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "missing network name");
        }
        if (!VALID_NAME.matcher(text).matches()) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "invalid characters found in network name", text);
        }
        return root;
    }

    private static CniError unmarshal(String why) {
        return new CniError(CniError.DECODING_FAILURE, "error unmarshall network config: " + why);
    }

    private static String goKind(JsonNode n) {
        return n.isArray() ? "array" : n.isString() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "bool"
                : "object";
    }

    private static void validateContainerId(String id) throws CniError {
        if (id.isEmpty()) {
            throw new CniError(CniError.UNKNOWN_CONTAINER, "missing containerID");
        }
        if (!VALID_NAME.matcher(id).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid characters in containerID", id);
        }
    }

    private static void validateInterfaceName(String name) throws CniError {
        if (name.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "interface name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 15) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "interface name is too long",
                    "interface name should be less than 16 characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "interface name is . or ..");
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085') {
                throw new CniError(CniError.INVALID_ENVIRONMENT,
                        "interface name contains / or : or whitespace characters");
            }
        }
    }

    /** The version negotiation of libcni's skeleton, per command. */
    private static CniVersion checkVersion(CniCommand command, ObjectNode root) throws CniError {
        String configVersion = configVersion(root);
        String since = command.since();
        if (since != null) {
            if (CniVersion.compare(configVersion, since) < 0) {
                throw new CniError(CniError.INCOMPATIBLE_VERSION, "config version does not allow " + command);
            }
            boolean anyNewer = false;
            for (String supported : CniVersion.SUPPORTED) {
                anyNewer |= CniVersion.compare(supported, configVersion) >= 0;
            }
            if (!anyNewer) {
                throw new CniError(CniError.INCOMPATIBLE_VERSION, "plugin version does not allow " + command);
            }
        }
        return CniVersion.of(configVersion).orElseThrow(() -> new CniError(CniError.INCOMPATIBLE_VERSION,
                "incompatible CNI versions", "config is \"" + configVersion + "\", plugin supports ["
                        + String.join(" ", CniVersion.SUPPORTED.stream().map(v -> "\"" + v + "\"").toList()) + "]"));
    }

    /** libcni's ConfigDecoder: the "cniVersion" string, "0.1.0" when absent or empty. */
    private static String configVersion(ObjectNode root) throws CniError {
        JsonNode v = root.get("cniVersion");
        if (v != null && !v.isNull() && !v.isString()) {
            throw new CniError(CniError.DECODING_FAILURE, "decoding version from network config: json: cannot"
                    + " unmarshal " + goKind(v) + " into Go struct field .cniVersion of type string");
        }
        String text = v == null || v.isNull() ? "" : v.stringValue();
        return text.isEmpty() ? "0.1.0" : text;
    }

    /** The cniVersion an error is reported in: the configuration's when Drover supports it, else 1.1.0. */
    private static String errorVersion(byte[] stdin) {
        try {
            if (GoJson.syntaxError(stdin) == null) {
                JsonNode v = MAPPER.readTree(new String(stdin, StandardCharsets.UTF_8)).path("cniVersion");
                if (v.isString() && CniVersion.of(v.stringValue()).isPresent()) {
                    return v.stringValue();
                }
            }
        } catch (JacksonException e) {
            // fall through: the configuration is unreadable
        }
        return FALLBACK;
    }

    private static boolean pathExists(String path) {
        if (path.isEmpty()) {
            return false;
        }
        try {
            return Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
