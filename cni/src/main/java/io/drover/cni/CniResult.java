package io.drover.cni;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of ADD (and the {@code prevResult} of CHECK and DEL): the interfaces made, the addresses on them, routes
 * and DNS. One version-neutral value, written in the shape of the configuration's version by {@link #render}: 1.1.0 and
 * 1.0.0 list IPs without {@code "version"}; 0.4.0 and 0.3.x add {@code "version": "4"|"6"}; the fields 1.1.0 added
 * (interface mtu, socketPath, pciID; route mtu, advmss, priority, table, scope) appear only in 1.1.0.
 *
 * <p>Addresses are text: {@code address} in CIDR form ({@code 10.99.0.2/24}), {@code gateway} a plain address.
 */
public record CniResult(List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns) {

    public CniResult {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        dns = dns == null ? Dns.EMPTY : dns;
    }

    /**
     * An interface the plugin made or used. {@code sandbox} is the namespace path for interfaces inside the container
     * and null for host interfaces; {@code mac}, {@code mtu}, {@code socketPath} and {@code pciId} are optional.
     */
    public record Interface(String name, String mac, Integer mtu, String sandbox, String socketPath, String pciId) {
        public Interface {
            Objects.requireNonNull(name, "name");
        }

        public Interface(String name, String mac, String sandbox) {
            this(name, mac, null, sandbox, null, null);
        }
    }

    /**
     * An address assigned to the interface at {@code interfaceIndex} of {@link #interfaces()} (null when none applies,
     * as for IPAM results).
     */
    public record IpConfig(Integer interfaceIndex, String address, String gateway) {
        public IpConfig {
            Objects.requireNonNull(address, "address");
        }

        /** 4 or 6, as 0.3.x/0.4.0 results say it. */
        public int family() {
            return address.indexOf(':') >= 0 ? 6 : 4;
        }
    }

    /** A route; {@code gw} and the 1.1.0 attributes are optional. */
    public record Route(String dst, String gw, Integer mtu, Integer advmss, Integer priority, Integer table,
            Integer scope) {
        public Route {
            Objects.requireNonNull(dst, "dst");
        }

        public Route(String dst, String gw) {
            this(dst, gw, null, null, null, null, null);
        }
    }

    /** DNS settings for the container; every field optional. */
    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public static final Dns EMPTY = new Dns(List.of(), null, List.of(), List.of());

        public Dns {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
            search = search == null ? List.of() : List.copyOf(search);
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /** This result in the shape of {@code version}, as a JSON tree with the reference plugins' field order. */
    public ObjectNode toJson(CniVersion version) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("cniVersion", version.text());
        boolean extended = version.hasExtendedFields();
        if (!interfaces.isEmpty()) {
            ArrayNode list = out.putArray("interfaces");
            for (Interface i : interfaces) {
                ObjectNode o = list.addObject();
                o.put("name", i.name());
                putIfSet(o, "mac", i.mac());
                if (extended && i.mtu() != null && i.mtu() != 0) {
                    o.put("mtu", i.mtu());
                }
                putIfSet(o, "sandbox", i.sandbox());
                if (extended) {
                    putIfSet(o, "socketPath", i.socketPath());
                    putIfSet(o, "pciID", i.pciId());
                }
            }
        }
        if (!ips.isEmpty()) {
            ArrayNode list = out.putArray("ips");
            for (IpConfig ip : ips) {
                ObjectNode o = list.addObject();
                if (version.ipsCarryVersion()) {
                    o.put("version", Integer.toString(ip.family()));
                }
                if (ip.interfaceIndex() != null) {
                    o.put("interface", ip.interfaceIndex());
                }
                o.put("address", ip.address());
                putIfSet(o, "gateway", ip.gateway());
            }
        }
        if (!routes.isEmpty()) {
            ArrayNode list = out.putArray("routes");
            for (Route r : routes) {
                ObjectNode o = list.addObject();
                o.put("dst", r.dst());
                putIfSet(o, "gw", r.gw());
                if (extended) {
                    putIfNonZero(o, "mtu", r.mtu());
                    putIfNonZero(o, "advmss", r.advmss());
                    putIfNonZero(o, "priority", r.priority());
                    if (r.table() != null) {
                        o.put("table", r.table());
                    }
                    if (r.scope() != null) {
                        o.put("scope", r.scope());
                    }
                }
            }
        }
        ObjectNode d = out.putObject("dns");
        if (!dns.nameservers().isEmpty()) {
            dns.nameservers().forEach(d.putArray("nameservers")::add);
        }
        putIfSet(d, "domain", dns.domain());
        if (!dns.search().isEmpty()) {
            dns.search().forEach(d.putArray("search")::add);
        }
        if (!dns.options().isEmpty()) {
            dns.options().forEach(d.putArray("options")::add);
        }
        return out;
    }

    /** What ADD prints on stdout for a configuration of {@code version}: indented as the reference plugins do. */
    public String render(CniVersion version) {
        return GoJson.pretty(toJson(version));
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

    private static void putIfNonZero(ObjectNode o, String field, Integer value) {
        if (value != null && value != 0) {
            o.put(field, value);
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * Reads a result of any supported version (with or without {@code "version"} on IPs), as found in a
     * {@code prevResult}. Unknown fields are ignored; wrong types and malformed addresses are errors.
     *
     * @throws CniError code 6 (decoding failure) saying which field is wrong
     */
    public static CniResult parse(JsonNode node) throws CniError {
        if (!node.isObject()) {
            throw decoding("a result must be a JSON object, not " + kind(node));
        }
        List<Interface> interfaces = new ArrayList<>();
        for (JsonNode i : array(node, "interfaces")) {
            requireObject(i, "interfaces[]");
            interfaces.add(new Interface(requiredString(i, "name", "interfaces[].name"),
                    string(i, "mac", "interfaces[].mac"), integer(i, "mtu", "interfaces[].mtu"),
                    string(i, "sandbox", "interfaces[].sandbox"), string(i, "socketPath", "interfaces[].socketPath"),
                    string(i, "pciID", "interfaces[].pciID")));
        }
        List<IpConfig> ips = new ArrayList<>();
        for (JsonNode ip : array(node, "ips")) {
            requireObject(ip, "ips[]");
            String address = requiredString(ip, "address", "ips[].address");
            requireCidr(address, "ips[].address");
            String gateway = string(ip, "gateway", "ips[].gateway");
            if (gateway != null && !gateway.isEmpty()) {
                requireAddress(gateway, "ips[].gateway");
            }
            Integer index = integer(ip, "interface", "ips[].interface");
            if (index != null && (index < 0 || index >= interfaces.size())) {
                throw decoding("ips[].interface " + index + " does not name one of the " + interfaces.size()
                        + " interfaces");
            }
            ips.add(new IpConfig(index, address, gateway));
        }
        List<Route> routes = new ArrayList<>();
        for (JsonNode r : array(node, "routes")) {
            requireObject(r, "routes[]");
            String dst = requiredString(r, "dst", "routes[].dst");
            requireCidr(dst, "routes[].dst");
            String gw = string(r, "gw", "routes[].gw");
            if (gw != null && !gw.isEmpty()) {
                requireAddress(gw, "routes[].gw");
            }
            routes.add(new Route(dst, gw, integer(r, "mtu", "routes[].mtu"), integer(r, "advmss", "routes[].advmss"),
                    integer(r, "priority", "routes[].priority"), integer(r, "table", "routes[].table"),
                    integer(r, "scope", "routes[].scope")));
        }
        Dns dns = Dns.EMPTY;
        JsonNode d = node.get("dns");
        if (d != null && !d.isNull()) {
            requireObject(d, "dns");
            dns = new Dns(strings(d, "nameservers", "dns.nameservers"), string(d, "domain", "dns.domain"),
                    strings(d, "search", "dns.search"), strings(d, "options", "dns.options"));
        }
        return new CniResult(interfaces, ips, routes, dns);
    }

    private static CniError decoding(String details) {
        return new CniError(CniError.DECODING_FAILURE, "could not parse prevResult", details);
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "an array" : n.isString() ? "a string" : n.isNumber() ? "a number"
                : n.isBoolean() ? "a boolean" : n.isNull() ? "null" : "an object";
    }

    private static void requireObject(JsonNode n, String where) throws CniError {
        if (!n.isObject()) {
            throw decoding(where + " must be an object, not " + kind(n));
        }
    }

    private static List<JsonNode> array(JsonNode parent, String field) throws CniError {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw decoding(field + " must be an array, not " + kind(n));
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static String string(JsonNode parent, String field, String where) throws CniError {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw decoding(where + " must be a string, not " + kind(n));
        }
        return n.stringValue();
    }

    private static String requiredString(JsonNode parent, String field, String where) throws CniError {
        String s = string(parent, field, where);
        if (s == null || s.isEmpty()) {
            throw decoding(where + " is missing");
        }
        return s;
    }

    private static Integer integer(JsonNode parent, String field, String where) throws CniError {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isInt()) {
            throw decoding(where + " must be an integer, not " + kind(n) + " " + n);
        }
        return n.intValue();
    }

    private static List<String> strings(JsonNode parent, String field, String where) throws CniError {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(parent, field)) {
            if (!n.isString()) {
                throw decoding(where + " must hold strings, not " + kind(n));
            }
            out.add(n.stringValue());
        }
        return out;
    }

    /** Checks "ADDRESS/PREFIX" without any name lookup. */
    static void requireCidr(String cidr, String where) throws CniError {
        int slash = cidr.indexOf('/');
        String bad = where + " \"" + cidr + "\" is not an address with a prefix length (e.g. 10.1.0.5/24)";
        if (slash < 0) {
            throw decoding(bad);
        }
        InetAddress address = literal(cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw decoding(bad);
        }
        int bits = address == null ? 0 : address.getAddress().length * 8;
        if (address == null || prefix < 0 || prefix > bits || !Character.isDigit(cidr.charAt(slash + 1))) {
            throw decoding(bad);
        }
    }

    static void requireAddress(String text, String where) throws CniError {
        if (literal(text) == null) {
            throw decoding(where + " \"" + text + "\" is not an IP address");
        }
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
