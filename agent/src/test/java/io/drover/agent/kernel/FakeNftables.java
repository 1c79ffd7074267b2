package io.drover.agent.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The nftables of one fake namespace: an interpreter for the part of the nft language Drover writes (tables with
 * sets, maps and chains in blocks, one-line set declarations; {@code add/delete table}, {@code add/flush/delete
 * chain}, {@code add/delete set}, {@code add rule}, {@code add/delete element}, {@code flush ruleset}), applied as one transaction (all or nothing, as
 * {@code nft -f}), and listed in the JSON shape of {@code nft -j list table} (nft 1.0.6). Rules are kept as text
 * with their comments; they are not evaluated. A statement outside this subset fails with EINVAL naming it, so a
 * test never passes on a script the fake did not understand.
 */
final class FakeNftables {

    static final int EINVAL = 22;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern COMMENT = Pattern.compile("\\s*comment \"([^\"]*)\"");
    private static final Pattern TABLE = Pattern.compile("(add |create )?table (\\S+) (\\S+)( \\{)?");
    private static final Pattern DELETE_TABLE = Pattern.compile("delete table (\\S+) (\\S+)");
    private static final Pattern FLUSH_TABLE = Pattern.compile("flush table (\\S+) (\\S+)");
    private static final Pattern ADD_CHAIN = Pattern.compile("add chain (\\S+) (\\S+) (\\S+)( \\{)?");
    private static final Pattern FLUSH_CHAIN = Pattern.compile("flush chain (\\S+) (\\S+) (\\S+)");
    private static final Pattern ADD_RULE = Pattern.compile("add rule (\\S+) (\\S+) (\\S+) (.+)");
    private static final Pattern ELEMENT = Pattern.compile("(add|delete) element (\\S+) (\\S+) (\\S+) \\{ ?(.*?) ?\\}");
    private static final Pattern BLOCK = Pattern.compile("(set|map|chain) (\\S+) \\{");
    /** A set declared on one line, as the services' affinity sets are: {@code set NAME { type ...; flags ...; }}. */
    private static final Pattern ONE_LINE_SET = Pattern.compile("set (\\S+) \\{ (.*) \\}");
    private static final Pattern ADD_SET = Pattern.compile("add set (\\S+) (\\S+) (\\S+) \\{ (.*) \\}");
    private static final Pattern DELETE_SET = Pattern.compile("delete set (\\S+) (\\S+) (\\S+)");
    private static final Pattern DELETE_CHAIN = Pattern.compile("delete chain (\\S+) (\\S+) (\\S+)");
    private static final Pattern HOOK = Pattern.compile("type (\\S+) hook (\\S+) priority ([^;]+);(?: policy (\\w+);)?");

    record Element(String key, String value, String comment) {}

    private static final class NftSet {
        final String name;
        final boolean map;
        List<String> keyTypes = List.of();
        List<String> valueTypes = List.of();
        Set<String> flags = new LinkedHashSet<>();
        String comment;
        final Map<String, Element> elements = new LinkedHashMap<>();
        final int handle;

        NftSet(String name, boolean map, int handle) {
            this.name = name;
            this.map = map;
            this.handle = handle;
        }

        NftSet copy() {
            NftSet c = new NftSet(name, map, handle);
            c.keyTypes = keyTypes;
            c.valueTypes = valueTypes;
            c.flags = new LinkedHashSet<>(flags);
            c.comment = comment;
            c.elements.putAll(elements);
            return c;
        }
    }

    private static final class Chain {
        final String name;
        final int handle;
        String type;
        String hook;
        Integer priority;
        String policy;
        final List<String> rules = new ArrayList<>();

        Chain(String name, int handle) {
            this.name = name;
            this.handle = handle;
        }

        Chain copy() {
            Chain c = new Chain(name, handle);
            c.type = type;
            c.hook = hook;
            c.priority = priority;
            c.policy = policy;
            c.rules.addAll(rules);
            return c;
        }
    }

    private static final class Table {
        final String family;
        final String name;
        final int handle;
        String comment;
        final Map<String, NftSet> sets = new LinkedHashMap<>();
        final Map<String, Chain> chains = new LinkedHashMap<>();

        Table(String family, String name, int handle) {
            this.family = family;
            this.name = name;
            this.handle = handle;
        }

        Table copy() {
            Table t = new Table(family, name, handle);
            t.comment = comment;
            sets.forEach((k, v) -> t.sets.put(k, v.copy()));
            chains.forEach((k, v) -> t.chains.put(k, v.copy()));
            return t;
        }
    }

    private Map<String, Table> tables = new LinkedHashMap<>();
    private int nextHandle = 1;

    /** Applies a script as one transaction; throws (changing nothing) where nft would. */
    void apply(String script) {
        Map<String, Table> work = new LinkedHashMap<>();
        tables.forEach((k, v) -> work.put(k, v.copy()));
        List<String> lines = script.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Cursor cursor = new Cursor(lines);
        while (cursor.hasNext()) {
            statement(work, cursor.next(), cursor);
        }
        tables = work;
    }

    boolean exists(String family, String table) {
        return tables.containsKey(family + " " + table);
    }

    /** The element keys (and {@code key : value} for maps) of a set, in the order they were added. */
    List<String> elements(String family, String table, String set) {
        Table t = tables.get(family + " " + table);
        NftSet s = t == null ? null : t.sets.get(set);
        if (s == null) {
            return List.of();
        }
        return s.elements.values().stream().map(e -> e.value() == null ? e.key() : e.key() + " : " + e.value()).toList();
    }

    /** The comments of a chain's rules, in order. */
    List<String> ruleComments(String family, String table, String chain) {
        Table t = tables.get(family + " " + table);
        Chain c = t == null ? null : t.chains.get(chain);
        return c == null ? List.of() : c.rules.stream().map(FakeNftables::commentOf).map(s -> s == null ? "" : s).toList();
    }

    private void statement(Map<String, Table> work, String line, Cursor cursor) {
        Matcher m;
        if (line.equals("flush ruleset")) {
            work.clear();
        } else if ((m = TABLE.matcher(line)).matches()) {
            String family = m.group(2);
            String name = m.group(3);
            String key = family + " " + name;
            if ("create ".equals(m.group(1)) && work.containsKey(key)) {
                throw new KernelException("nft: table " + key + " exists", KernelException.EEXIST);
            }
            Table t = work.computeIfAbsent(key, k -> new Table(family, name, nextHandle++));
            if (m.group(4) != null) {
                tableBlock(t, cursor);
            }
        } else if ((m = DELETE_TABLE.matcher(line)).matches()) {
            if (work.remove(m.group(1) + " " + m.group(2)) == null) {
                throw new KernelException("nft: " + line + ": No such file or directory", KernelException.ENOENT);
            }
        } else if ((m = FLUSH_TABLE.matcher(line)).matches()) {
            table(work, m.group(1), m.group(2), line).chains.values().forEach(c -> c.rules.clear());
        } else if ((m = ADD_CHAIN.matcher(line)).matches()) {
            Table t = table(work, m.group(1), m.group(2), line);
            Chain c = t.chains.computeIfAbsent(m.group(3), n -> new Chain(n, nextHandle++));
            if (m.group(4) != null) {
                chainBlock(c, cursor);
            }
        } else if ((m = DELETE_CHAIN.matcher(line)).matches()) {
            Chain c = chain(work, m.group(1), m.group(2), m.group(3), line);
            if (!c.rules.isEmpty()) {
                throw new KernelException("nft: " + line + ": Device or resource busy (the chain has rules)", 16);
            }
            table(work, m.group(1), m.group(2), line).chains.remove(c.name);
        } else if ((m = ADD_SET.matcher(line)).matches()) {
            Table t = table(work, m.group(1), m.group(2), line);
            declare(t.sets.computeIfAbsent(m.group(3), n -> new NftSet(n, false, nextHandle++)), m.group(4), line);
        } else if ((m = DELETE_SET.matcher(line)).matches()) {
            if (table(work, m.group(1), m.group(2), line).sets.remove(m.group(3)) == null) {
                throw new KernelException("nft: " + line + ": No such file or directory", KernelException.ENOENT);
            }
        } else if ((m = FLUSH_CHAIN.matcher(line)).matches()) {
            chain(work, m.group(1), m.group(2), m.group(3), line).rules.clear();
        } else if ((m = ADD_RULE.matcher(line)).matches()) {
            chain(work, m.group(1), m.group(2), m.group(3), line).rules.add(m.group(4));
        } else if ((m = ELEMENT.matcher(line)).matches()) {
            NftSet set = table(work, m.group(2), m.group(3), line).sets.get(m.group(4));
            if (set == null) {
                throw new KernelException("nft: " + line + ": No such file or directory", KernelException.ENOENT);
            }
            for (String text : splitTopLevel(m.group(5))) {
                Element e = element(text);
                Element present = set.elements.get(e.key());
                if (m.group(1).equals("delete")) {
                    if (present == null) {
                        throw new KernelException("nft: " + line + ": element " + e.key() + " does not exist",
                                KernelException.ENOENT);
                    }
                    set.elements.remove(e.key());
                } else if (present != null && !java.util.Objects.equals(present.value(), e.value())) {
                    throw new KernelException("nft: " + line + ": element " + e.key() + " exists", KernelException.EEXIST);
                } else {
                    set.elements.put(e.key(), e);
                }
            }
        } else {
            throw unsupported(line);
        }
    }

    private void tableBlock(Table t, Cursor cursor) {
        while (true) {
            String line = cursor.next();
            Matcher m;
            if (line.equals("}")) {
                return;
            } else if ((m = COMMENT.matcher(line)).matches()) {
                t.comment = m.group(1);
            } else if ((m = ONE_LINE_SET.matcher(line)).matches()) {
                declare(t.sets.computeIfAbsent(m.group(1), n -> new NftSet(n, false, nextHandle++)), m.group(2), line);
            } else if ((m = BLOCK.matcher(line)).matches()) {
                String name = m.group(2);
                if (m.group(1).equals("chain")) {
                    chainBlock(t.chains.computeIfAbsent(name, n -> new Chain(n, nextHandle++)), cursor);
                } else {
                    boolean map = m.group(1).equals("map");
                    setBlock(t.sets.computeIfAbsent(name, n -> new NftSet(n, map, nextHandle++)), cursor);
                }
            } else {
                throw unsupported(line);
            }
        }
    }

    private static void setBlock(NftSet set, Cursor cursor) {
        while (true) {
            String line = cursor.next();
            Matcher m;
            if (line.equals("}")) {
                return;
            } else if (line.startsWith("type ")) {
                String[] parts = line.substring(5).split(" : ", 2);
                set.keyTypes = List.of(parts[0].split(" \\. "));
                set.valueTypes = parts.length > 1 ? List.of(parts[1].split(" \\. ")) : List.of();
            } else if (line.startsWith("typeof ")) {
                String[] parts = line.substring(7).split(" : ", 2);
                set.keyTypes = typeOf(parts[0], line);
                set.valueTypes = parts.length > 1 ? typeOf(parts[1], line) : List.of();
            } else if (line.startsWith("flags ")) {
                for (String f : line.substring(6).split(",")) {
                    set.flags.add(f.strip());
                }
            } else if ((m = COMMENT.matcher(line)).matches()) {
                set.comment = m.group(1);
            } else if (line.startsWith("elements = {")) {
                StringBuilder text = new StringBuilder(line.substring("elements = {".length()));
                while (!text.toString().strip().endsWith("}")) {
                    text.append(' ').append(cursor.next());
                }
                String body = text.toString().strip();
                for (String e : splitTopLevel(body.substring(0, body.length() - 1))) {
                    Element element = element(e);
                    set.elements.put(element.key(), element);
                }
            } else {
                throw unsupported(line);
            }
        }
    }

    /** The declarations of a one-line set, {@code type T; flags F,G; timeout 60s; comment "C";}, in any order. */
    private static void declare(NftSet set, String declarations, String line) {
        for (String part : declarations.split(";")) {
            String d = part.strip();
            Matcher m;
            if (d.isEmpty() || d.startsWith("timeout ")) {
                continue; // the default timeout of elements the kernel adds: not listed per set here
            } else if (d.startsWith("type ")) {
                set.keyTypes = List.of(d.substring(5).split(" \\. "));
            } else if (d.startsWith("flags ")) {
                for (String f : d.substring(6).split(",")) {
                    set.flags.add(f.strip());
                }
            } else if ((m = COMMENT.matcher(d)).matches()) {
                set.comment = m.group(1);
            } else {
                throw unsupported(line);
            }
        }
    }

    private static void chainBlock(Chain chain, Cursor cursor) {
        while (true) {
            String line = cursor.next();
            Matcher m;
            if (line.equals("}")) {
                return;
            } else if ((m = HOOK.matcher(line)).matches()) {
                chain.type = m.group(1);
                chain.hook = m.group(2);
                chain.priority = priority(m.group(3).strip());
                chain.policy = m.group(4) == null ? "accept" : m.group(4);
            } else {
                chain.rules.add(line);
            }
        }
    }

    private static Table table(Map<String, Table> work, String family, String name, String line) {
        Table t = work.get(family + " " + name);
        if (t == null) {
            throw new KernelException("nft: " + line + ": No such file or directory (no table " + family + " " + name + ")",
                    KernelException.ENOENT);
        }
        return t;
    }

    private static Chain chain(Map<String, Table> work, String family, String table, String name, String line) {
        Chain c = table(work, family, table, line).chains.get(name);
        if (c == null) {
            throw new KernelException("nft: " + line + ": No such file or directory (no chain " + name + ")",
                    KernelException.ENOENT);
        }
        return c;
    }

    private static int priority(String text) {
        return switch (text) {
            case "raw" -> -300;
            case "mangle" -> -150;
            case "dstnat" -> -100;
            case "filter" -> 0;
            case "security" -> 50;
            case "srcnat" -> 100;
            default -> {
                try {
                    yield Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw unsupported("priority " + text);
                }
            }
        };
    }

    /** {@code KEY [comment "C"] [: VALUE]}, as Drover renders set and map elements. */
    private static Element element(String text) {
        String comment = null;
        Matcher m = COMMENT.matcher(text);
        if (m.find()) {
            comment = m.group(1);
            text = text.substring(0, m.start()) + text.substring(m.end());
        }
        String[] parts = text.strip().split(" : ", 2);
        return new Element(parts[0].strip(), parts.length > 1 ? parts[1].strip() : null, comment);
    }

    private static String commentOf(String rule) {
        Matcher m = COMMENT.matcher(rule);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /** Splits on commas outside double quotes. */
    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(out, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder text) {
        String s = text.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    private static KernelException unsupported(String line) {
        return new KernelException("nft (fake): cannot interpret '" + line + "'", EINVAL);
    }

    /** {@code nft -j list table FAMILY NAME}; {"nftables":[]} when the table does not exist. */
    String list(String family, String name) {
        ObjectNode root = NODES.objectNode();
        ArrayNode objects = root.putArray("nftables");
        Table t = tables.get(family + " " + name);
        if (t == null) {
            return JSON.writeValueAsString(root);
        }
        ObjectNode meta = objects.addObject().putObject("metainfo");
        meta.put("version", "1.0.6");
        meta.put("release_name", "Lester Gooch #5");
        meta.put("json_schema_version", 1);
        ObjectNode table = objects.addObject().putObject("table");
        table.put("family", family);
        table.put("name", name);
        table.put("handle", t.handle);
        for (NftSet s : t.sets.values()) {
            ObjectNode set = objects.addObject().putObject(s.map ? "map" : "set");
            set.put("family", family);
            set.put("name", s.name);
            set.put("table", name);
            set.set("type", types(s.keyTypes));
            set.put("handle", s.handle);
            if (s.comment != null) {
                set.put("comment", s.comment);
            }
            if (s.map) {
                set.put("map", String.join(" . ", s.valueTypes));
            }
            if (!s.flags.isEmpty()) {
                ArrayNode flags = set.putArray("flags");
                // As nft 1.0.6 lists them: a set the rules update is "dynamic" in the kernel, not in the listing.
                s.flags.stream().filter(f -> !f.equals("dynamic")).forEach(flags::add);
            }
            if (!s.elements.isEmpty()) {
                ArrayNode elems = set.putArray("elem");
                for (Element e : s.elements.values()) {
                    JsonNode key = value(e.key(), s.keyTypes);
                    if (e.comment() != null) {
                        ObjectNode wrapped = NODES.objectNode();
                        ObjectNode inner = wrapped.putObject("elem");
                        inner.set("val", key);
                        inner.put("comment", e.comment());
                        key = wrapped;
                    }
                    if (s.map) {
                        ArrayNode pair = elems.addArray();
                        pair.add(key);
                        pair.add(value(e.value(), s.valueTypes));
                    } else {
                        elems.add(key);
                    }
                }
            }
        }
        for (Chain c : t.chains.values()) {
            ObjectNode chain = objects.addObject().putObject("chain");
            chain.put("family", family);
            chain.put("table", name);
            chain.put("name", c.name);
            chain.put("handle", c.handle);
            if (c.hook != null) {
                chain.put("type", c.type);
                chain.put("hook", c.hook);
                chain.put("prio", c.priority);
                chain.put("policy", c.policy);
            }
        }
        int handle = 1000;
        for (Chain c : t.chains.values()) {
            for (String r : c.rules) {
                ObjectNode rule = objects.addObject().putObject("rule");
                rule.put("family", family);
                rule.put("table", name);
                rule.put("chain", c.name);
                rule.put("handle", handle++);
                String comment = commentOf(r);
                if (comment != null) {
                    rule.put("comment", comment);
                }
                rule.putArray("expr");
            }
        }
        return JSON.writeValueAsString(root);
    }

    private static JsonNode types(List<String> types) {
        if (types.size() == 1) {
            return NODES.stringNode(types.getFirst());
        }
        ArrayNode out = NODES.arrayNode();
        types.forEach(out::add);
        return out;
    }

    /** A key or value in nft's JSON: a concatenation when it has several parts. */
    private static JsonNode value(String text, List<String> types) {
        String[] parts = text.split(" \\. ");
        if (parts.length == 1) {
            return atom(parts[0].strip(), types.isEmpty() ? "" : types.getFirst());
        }
        ObjectNode concat = NODES.objectNode();
        ArrayNode items = concat.putArray("concat");
        for (int i = 0; i < parts.length; i++) {
            items.add(atom(parts[i].strip(), i < types.size() ? types.get(i) : ""));
        }
        return concat;
    }

    private static JsonNode atom(String text, String type) {
        if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
            return NODES.stringNode(text.substring(1, text.length() - 1));
        }
        if (type.equals("ipv4_addr") || type.equals("ipv6_addr")) {
            int dash = text.indexOf('-');
            if (dash > 0) {
                ObjectNode range = NODES.objectNode();
                ArrayNode ends = range.putArray("range");
                ends.add(atom(text.substring(0, dash), type));
                ends.add(atom(text.substring(dash + 1), type));
                return range;
            }
            int slash = text.indexOf('/');
            if (slash > 0) {
                int len = Integer.parseInt(text.substring(slash + 1));
                String addr = text.substring(0, slash);
                if (len == (type.equals("ipv4_addr") ? 32 : 128)) {
                    return NODES.stringNode(addr); // nft lists a full-length prefix as the bare address
                }
                ObjectNode prefix = NODES.objectNode();
                ObjectNode inner = prefix.putObject("prefix");
                inner.put("addr", addr);
                inner.put("len", len);
                return prefix;
            }
            return NODES.stringNode(text);
        }
        if (text.matches("\\d+")) {
            return NODES.numberNode(Integer.parseInt(text));
        }
        return NODES.stringNode(text);
    }

    /** The types nft lists for the expressions of a {@code typeof} (the subset Drover writes). */
    private static List<String> typeOf(String expressions, String line) {
        List<String> types = new ArrayList<>();
        for (String e : expressions.split(" \\. ")) {
            String x = e.strip();
            if (x.equals("ip daddr") || x.equals("ip saddr")) {
                types.add("ipv4_addr");
            } else if (x.equals("meta l4proto")) {
                types.add("inet_proto");
            } else if (x.matches("(th|tcp|udp) [sd]port")) {
                types.add("inet_service");
            } else if (x.matches("(numgen random|jhash .+) mod \\d+")) {
                types.add("integer");
            } else {
                throw unsupported(line);
            }
        }
        return List.copyOf(types);
    }

    /** Lines of a script, with the end of the script an error inside a block (nft: unexpected end of file). */
    private static final class Cursor {
        private final List<String> lines;
        private int next;

        Cursor(List<String> lines) {
            this.lines = lines;
        }

        boolean hasNext() {
            return next < lines.size();
        }

        String next() {
            if (!hasNext()) {
                throw new KernelException("nft: syntax error, unexpected end of file (a block is not closed)", EINVAL);
            }
            return lines.get(next++);
        }
    }
}
