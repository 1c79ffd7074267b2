package io.drover.cni;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The network configuration a runtime passes on stdin, as Drover reads it:
 *
 * <pre>{@code
 * {"cniVersion": "1.0.0", "name": "blue", "type": "drover",
 *  "network": "blue",                          // optional: the Drover network to join; default: name
 *  "socket": "/run/drover/node-1/agent.sock",  // optional: the agent's socket (read by the executable)
 *  "ipam": {...},                              // ignored: Drover's own IPAM assigns addresses
 *  "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]},
 *  "args": {...},                              // optional, passed through
 *  "prevResult": {...},                        // CHECK and DEL: the result of the ADD
 *  "cni.dev/valid-attachments": [{"containerID": "...", "ifname": "eth0"}]}   // GC
 * }</pre>
 *
 * @param cniVersion the configuration's version (it has been checked to be supported for the command)
 * @param name the CNI network name (validated as libcni does)
 * @param type the plugin type (normally "drover"; not checked, so a renamed executable works)
 * @param network the Drover network to join: the "network" field, else {@code name}
 * @param socket the "socket" field, or null
 * @param prevResult the "prevResult" field, parsed; empty when absent
 * @param runtimeConfig the "runtimeConfig" field (never null)
 * @param args the "args" field as given (an empty object when absent)
 * @param validAttachments for GC: the "cni.dev/valid-attachments" list (libcni also writes the same list as
 *     "cni.dev/attachments", read when the first is absent); empty otherwise
 * @param raw the whole configuration as received, for fields Drover does not type
 */
public record NetworkConfig(CniVersion cniVersion, String name, String type, String network, String socket,
        Optional<CniResult> prevResult, RuntimeConfig runtimeConfig, ObjectNode args,
        List<Attachment> validAttachments, ObjectNode raw) {

    public NetworkConfig {
        validAttachments = List.copyOf(validAttachments);
    }

    /**
     * An attachment GC must keep: the key (container id, interface name) of one live ADD on this network. An empty
     * {@code ifName} (an entry without "ifname") keeps every interface of the container: GC errs on the side of keeping.
     */
    public record Attachment(String containerId, String ifName) {}

    /** A published port from {@code runtimeConfig.portMappings} (the "portMappings" capability). */
    public record PortMapping(int hostPort, int containerPort, String protocol, String hostIp) {}

    /** The "bandwidth" capability: rates in bits per second, bursts in bits; 0 when not given. */
    public record Bandwidth(long ingressRate, long ingressBurst, long egressRate, long egressBurst) {}

    /**
     * The capability arguments a runtime passes in "runtimeConfig". Port mappings and bandwidth are typed; everything
     * else (ips, mac, aliases, ...) stays in {@code raw}.
     */
    public record RuntimeConfig(List<PortMapping> portMappings, Optional<Bandwidth> bandwidth, ObjectNode raw) {
        public RuntimeConfig {
            portMappings = List.copyOf(portMappings);
        }

        static final RuntimeConfig EMPTY =
                new RuntimeConfig(List.of(), Optional.empty(), JsonNodeFactory.instance.objectNode());
    }

    /** The keys of {@link #validAttachments()} in the configuration: the specification's, then libcni's alias. */
    public static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";

    static final String VALID_ATTACHMENTS_ALIAS = "cni.dev/attachments";

    /**
     * Reads a configuration whose syntax, name and version have already been checked (see {@link CniDispatcher}).
     *
     * @throws CniError code 7 when a Drover field has the wrong type or value, code 6 when prevResult cannot be read
     */
    public static NetworkConfig parse(ObjectNode root, CniVersion version) throws CniError {
        return parse(root, version, true);
    }

    /**
     * As {@link #parse(ObjectNode, CniVersion)}; with {@code strictPrevResult} false an unreadable prevResult is
     * treated as absent instead of failing, which is what DEL needs: it must clean up whatever the runtime passes.
     */
    static NetworkConfig parse(ObjectNode root, CniVersion version, boolean strictPrevResult) throws CniError {
        String name = root.path("name").stringValue("");
        String type = optionalString(root, "type");
        String network = optionalString(root, "network");
        if (network != null && network.isEmpty()) {
            throw CniError.invalidConfig("\"network\" is empty; name the Drover network to join, or leave the"
                    + " field out to join the network named like the configuration (\"" + name + "\")");
        }
        String socket = optionalString(root, "socket");
        Optional<CniResult> prev = Optional.empty();
        JsonNode p = root.get("prevResult");
        if (p != null && !p.isNull()) {
            try {
                prev = Optional.of(CniResult.parse(p));
            } catch (CniError e) {
                if (strictPrevResult) {
                    throw e;
                }
            }
        }
        RuntimeConfig rc = runtimeConfig(root.get("runtimeConfig"));
        JsonNode args = root.get("args");
        ObjectNode argsObject;
        if (args == null || args.isNull()) {
            argsObject = JsonNodeFactory.instance.objectNode();
        } else if (args.isObject()) {
            argsObject = (ObjectNode) args;
        } else {
            throw CniError.invalidConfig("\"args\" must be an object");
        }
        JsonNode attachments = root.get(VALID_ATTACHMENTS);
        if (attachments == null || attachments.isNull()) {
            attachments = root.get(VALID_ATTACHMENTS_ALIAS);
        }
        return new NetworkConfig(version, name, type == null ? "" : type, network == null ? name : network, socket,
                prev, rc, argsObject, attachments(attachments), root);
    }

    private static String optionalString(JsonNode root, String field) throws CniError {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw CniError.invalidConfig("\"" + field + "\" must be a string, not " + n);
        }
        return n.stringValue();
    }

    private static RuntimeConfig runtimeConfig(JsonNode n) throws CniError {
        if (n == null || n.isNull()) {
            return RuntimeConfig.EMPTY;
        }
        if (!n.isObject()) {
            throw CniError.invalidConfig("\"runtimeConfig\" must be an object");
        }
        List<PortMapping> mappings = new ArrayList<>();
        JsonNode pm = n.get("portMappings");
        if (pm != null && !pm.isNull()) {
            if (!pm.isArray()) {
                throw CniError.invalidConfig("runtimeConfig.portMappings must be an array");
            }
            for (int k = 0; k < pm.size(); k++) {
                mappings.add(portMapping(pm.get(k), "runtimeConfig.portMappings[" + k + "]"));
            }
        }
        Optional<Bandwidth> bandwidth = Optional.empty();
        JsonNode bw = n.get("bandwidth");
        if (bw != null && !bw.isNull()) {
            if (!bw.isObject()) {
                throw CniError.invalidConfig("runtimeConfig.bandwidth must be an object");
            }
            bandwidth = Optional.of(new Bandwidth(rate(bw, "ingressRate"), rate(bw, "ingressBurst"),
                    rate(bw, "egressRate"), rate(bw, "egressBurst")));
        }
        return new RuntimeConfig(mappings, bandwidth, (ObjectNode) n);
    }

    private static PortMapping portMapping(JsonNode m, String where) throws CniError {
        if (!m.isObject()) {
            throw CniError.invalidConfig(where + " must be an object");
        }
        int host = port(m, "hostPort", where);
        int container = port(m, "containerPort", where);
        String protocol = "tcp";
        JsonNode p = m.get("protocol");
        if (p != null && !p.isNull()) {
            if (!p.isString()) {
                throw CniError.invalidConfig(where + ".protocol must be a string");
            }
            protocol = p.stringValue().toLowerCase(java.util.Locale.ROOT);
            if (protocol.isEmpty()) {
                protocol = "tcp";
            }
            if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
                throw CniError.invalidConfig(where + ".protocol \"" + p.stringValue()
                        + "\" is not one of tcp, udp, sctp");
            }
        }
        String hostIp = null;
        JsonNode ip = m.get("hostIP");
        if (ip != null && !ip.isNull()) {
            if (!ip.isString()) {
                throw CniError.invalidConfig(where + ".hostIP must be a string");
            }
            hostIp = ip.stringValue();
            if (!hostIp.isEmpty()) {
                try {
                    CniResult.requireAddress(hostIp, where + ".hostIP");
                } catch (CniError e) {
                    throw CniError.invalidConfig(e.details());
                }
            }
        }
        return new PortMapping(host, container, protocol, hostIp == null || hostIp.isEmpty() ? null : hostIp);
    }

    private static int port(JsonNode m, String field, String where) throws CniError {
        JsonNode n = m.get(field);
        if (n == null || !n.isInt() || n.intValue() < 1 || n.intValue() > 65535) {
            throw CniError.invalidConfig(where + "." + field + " must be a port number from 1 to 65535, not "
                    + (n == null ? "missing" : n.toString()));
        }
        return n.intValue();
    }

    private static long rate(JsonNode bw, String field) throws CniError {
        JsonNode n = bw.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < 0) {
            throw CniError.invalidConfig("runtimeConfig.bandwidth." + field + " must be a non-negative integer");
        }
        return n.asLong();
    }

    private static List<Attachment> attachments(JsonNode n) throws CniError {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw CniError.invalidConfig("\"" + VALID_ATTACHMENTS + "\" must be an array of"
                    + " {\"containerID\": ..., \"ifname\": ...}");
        }
        List<Attachment> out = new ArrayList<>();
        for (int k = 0; k < n.size(); k++) {
            JsonNode a = n.get(k);
            String where = VALID_ATTACHMENTS + "[" + k + "]";
            if (!a.isObject() || !a.path("containerID").isString() || a.path("containerID").stringValue().isEmpty()) {
                throw CniError.invalidConfig(where + " must be an object with a non-empty \"containerID\"");
            }
            JsonNode ifName = a.get("ifname");
            if (ifName != null && !ifName.isNull() && !ifName.isString()) {
                throw CniError.invalidConfig(where + ".ifname must be a string");
            }
            out.add(new Attachment(a.get("containerID").stringValue(),
                    ifName == null || ifName.isNull() ? "" : ifName.stringValue()));
        }
        return out;
    }
}
