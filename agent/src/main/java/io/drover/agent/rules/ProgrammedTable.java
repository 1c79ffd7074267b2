package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the kernel holds in Drover's table, read from {@code nft -j list table inet drover}: enough to tell whether
 * it is the table {@link NodeRules} would write (same ruleset, same sets and chains, same rules by comment, same
 * elements) without re-applying it, and to compute the element changes that would make it so.
 *
 * <p>Rules are compared by their comments and order, not their expressions: nft's JSON for an expression varies
 * between nft versions, while the ruleset fingerprint already says which rules this build writes. A rule edited by
 * hand without touching its comment goes unnoticed; one added, removed or reordered does not.
 *
 * @param exists       whether the table exists at all
 * @param ruleset      the ruleset fingerprint found in the table, or null
 * @param sets         set and map names to their signature, {@code TYPE [: VALUE] [FLAG...]}
 * @param chains       chain names to {@code TYPE HOOK PRIORITY POLICY}, or "" for a regular chain
 * @param ruleComments chain names to the comments of their rules in order ("" for a rule without one)
 * @param elements     the elements of every set and map, in canonical text
 */
public record ProgrammedTable(boolean exists, String ruleset, Map<String, String> sets, Map<String, String> chains,
                              Map<String, List<String>> ruleComments, TableElements elements) {

    public static final ProgrammedTable ABSENT =
            new ProgrammedTable(false, null, Map.of(), Map.of(), Map.of(), TableElements.NONE);

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern RULESET = Pattern.compile("ruleset ([0-9a-f]+)");

    public ProgrammedTable {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        Map<String, List<String>> comments = new LinkedHashMap<>();
        ruleComments.forEach((chain, list) -> comments.put(chain, List.copyOf(list)));
        ruleComments = Collections.unmodifiableMap(comments);
    }

    /** Reads Drover's own table ({@code inet drover}) out of a listing. */
    public static ProgrammedTable parse(String json) {
        return parse(json, NodeRules.FAMILY, NodeRules.TABLE);
    }

    /**
     * Reads one table out of an {@code nft -j list table} (or {@code list ruleset}) listing; objects of other
     * tables are ignored. Throws IllegalArgumentException when the text is not such a listing.
     */
    public static ProgrammedTable parse(String json, String family, String table) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("nft listing is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode objects = root.path("nftables");
        if (!objects.isArray()) {
            throw new IllegalArgumentException("nft listing has no \"nftables\" array: "
                    + json.substring(0, Math.min(json.length(), 200)));
        }
        boolean exists = false;
        String ruleset = null;
        Map<String, String> sets = new LinkedHashMap<>();
        Map<String, String> chains = new LinkedHashMap<>();
        Map<String, List<String>> rules = new LinkedHashMap<>();
        Map<String, Set<SetElement>> elements = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            String kind = object.properties().stream().map(Map.Entry::getKey).findFirst().orElse("");
            JsonNode body = object.path(kind);
            boolean ours = family.equals(body.path("family").asString(""))
                    && table.equals(kind.equals("table") ? body.path("name").asString("") : body.path("table").asString(""));
            if (!ours) {
                continue;
            }
            switch (kind) {
                case "table" -> exists = true;
                case "set", "map" -> {
                    String name = body.path("name").asString();
                    List<String> keyTypes = types(body.path("type"));
                    List<String> valueTypes = kind.equals("map") ? types(body.path("map")) : List.of();
                    sets.put(name, signature(keyTypes, valueTypes, body.path("flags")));
                    Set<SetElement> members = new LinkedHashSet<>();
                    for (JsonNode elem : body.path("elem")) {
                        members.add(element(elem, keyTypes, valueTypes));
                    }
                    elements.put(name, members);
                    Matcher m = RULESET.matcher(body.path("comment").asString(""));
                    // The fingerprint rides on the comment of one set of each table (bridges, guard_ports).
                    if (m.find()) {
                        ruleset = m.group(1);
                    }
                }
                case "chain" -> {
                    String name = body.path("name").asString();
                    chains.put(name, body.has("hook")
                            ? body.path("type").asString("") + " " + body.path("hook").asString("") + " "
                                    + body.path("prio").asString("") + " " + body.path("policy").asString("accept")
                            : "");
                    rules.putIfAbsent(name, new ArrayList<>());
                }
                case "rule" -> rules.computeIfAbsent(body.path("chain").asString(), c -> new ArrayList<>())
                        .add(body.path("comment").asString(""));
                default -> { }
            }
        }
        if (!exists) {
            return ABSENT;
        }
        return new ProgrammedTable(true, ruleset, sets, chains, rules, new TableElements(elements));
    }

    /** {@code "ifname"} or {@code ["ifname", "ipv4_addr"]}, or the map form {@code "ipv4_addr . inet_service"}. */
    private static List<String> types(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(t -> out.add(t.asString()));
        } else if (!node.isMissingNode()) {
            for (String part : node.asString().split(" \\. ")) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static String signature(List<String> keyTypes, List<String> valueTypes, JsonNode flags) {
        Set<String> flagNames = new TreeSet<>();
        if (flags.isArray()) {
            flags.forEach(f -> flagNames.add(f.asString()));
        } else if (!flags.isMissingNode()) {
            flagNames.add(flags.asString());
        }
        return String.join(" . ", keyTypes)
                + (valueTypes.isEmpty() ? "" : " : " + String.join(" . ", valueTypes))
                + flagNames.stream().map(f -> " " + f).collect(Collectors.joining());
    }

    /**
     * One element: for a set, the key, possibly wrapped as {@code {"elem": {"val": KEY, "comment": ...}}}; for a
     * map, {@code [KEY, VALUE]} with the key possibly wrapped so.
     */
    private static SetElement element(JsonNode node, List<String> keyTypes, List<String> valueTypes) {
        JsonNode key = node;
        JsonNode value = null;
        if (!valueTypes.isEmpty() && node.isArray() && node.size() == 2) {
            key = node.get(0);
            value = node.get(1);
        }
        String comment = null;
        if (key.isObject() && key.has("elem")) {
            comment = key.path("elem").path("comment").asString(null);
            key = key.path("elem").path("val");
        }
        return new SetElement(composite(key, keyTypes), value == null ? null : composite(value, valueTypes), comment);
    }

    private static String composite(JsonNode node, List<String> types) {
        if (node.isObject() && node.has("concat")) {
            List<String> parts = new ArrayList<>();
            int i = 0;
            for (JsonNode part : node.path("concat")) {
                parts.add(atom(part, i < types.size() ? types.get(i) : ""));
                i++;
            }
            return String.join(" . ", parts);
        }
        return atom(node, types.isEmpty() ? "" : types.get(0));
    }

    /** One value in {@link SetElement}'s canonical text. Unknown forms keep their JSON, and so never compare equal. */
    private static String atom(JsonNode node, String type) {
        if (node.isNumber()) {
            return node.asString();
        }
        if (node.isString()) {
            String text = node.asString();
            return switch (type) {
                case "ifname" -> '"' + text + '"';
                case "ipv4_addr", "ipv6_addr" -> IpAddresses.isValid(text) ? IpAddresses.format(IpAddresses.parse(text)) : text;
                default -> text;
            };
        }
        if (node.isObject() && node.has("prefix")) {
            JsonNode prefix = node.path("prefix");
            String addr = prefix.path("addr").asString("");
            if (IpAddresses.isValid(addr)) {
                return SetContents.prefix(Cidr.containing(IpAddresses.parse(addr), prefix.path("len").asInt()));
            }
            return addr + "/" + prefix.path("len").asInt();
        }
        // A verdict, as the values of the policy dispatch maps: {"jump": {"target": "pod.x.a.in"}}.
        if (node.isObject() && (node.has("jump") || node.has("goto")) && node.size() == 1) {
            String verdict = node.has("jump") ? "jump" : "goto";
            return verdict + " " + node.path(verdict).path("target").asString("");
        }
        // A verdict without a target, as the values of the no-endpoint maps: {"drop": null}.
        if (node.isObject() && node.size() == 1
                && (node.has("drop") || node.has("accept") || node.has("return") || node.has("continue"))) {
            return node.properties().iterator().next().getKey();
        }
        if (node.isObject() && node.has("range") && node.path("range").size() == 2) {
            return atom(node.path("range").get(0), type) + "-" + atom(node.path("range").get(1), type);
        }
        return node.toString();
    }
}
