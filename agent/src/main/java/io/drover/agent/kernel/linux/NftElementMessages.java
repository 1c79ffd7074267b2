package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NftElementChange;
import io.drover.model.net.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Objects;

/**
 * Set element changes as one nf_tables netlink batch (what {@code nft -f} sends for {@code add element} and
 * {@code delete element}): BATCH_BEGIN, a NEWSETELEM or DELSETELEM message per run of changes to one set, BATCH_END.
 * The kernel applies the batch as one transaction. Pure: it only builds messages.
 *
 * <p>Keys and values are laid out as nft lays them out: a single field takes its type's length (an IPv4 address 4
 * bytes, a port 2 in network order); in a concatenation every field starts on a 32-bit register, so it is padded to
 * a multiple of 4. Interval sets, whose elements nft splits into ranges, and types not listed here are refused
 * with {@link Unsupported}; the caller then writes the changes with nft instead.
 */
final class NftElementMessages {

    /** The changes need something this encoder does not do; nft can write them. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    static final int NFNL_SUBSYS_NFTABLES = 10;
    // Compiled once: every element of a large batch is split by them (String.split would compile them each time).
    private static final Pattern WORDS = Pattern.compile("\\s+");
    private static final Pattern CONCATENATION = Pattern.compile(" \\. ");
    private static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    private static final int NFNL_MSG_BATCH_END = 0x11;
    private static final int NFT_MSG_NEWSETELEM = 12;
    private static final int NFT_MSG_DELSETELEM = 14;

    private static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    private static final int NFTA_SET_ELEM_LIST_SET = 2;
    private static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    private static final int NFTA_LIST_ELEM = 1;
    private static final int NFTA_SET_ELEM_KEY = 1;
    private static final int NFTA_SET_ELEM_DATA = 2;
    private static final int NFTA_SET_ELEM_USERDATA = 6;
    private static final int NFTA_DATA_VALUE = 1;
    private static final int NFTA_DATA_VERDICT = 2;
    private static final int NFTA_VERDICT_CODE = 1;
    private static final int NFTA_VERDICT_CHAIN = 2;
    /** libnftnl's user data TLV type for an element's comment (NFTNL_UDATA_SET_ELEM_COMMENT). */
    private static final int UDATA_ELEMENT_COMMENT = 0;

    private static final int NF_DROP = 0;
    private static final int NF_ACCEPT = 1;
    private static final int NFT_CONTINUE = -1;
    private static final int NFT_JUMP = -3;
    private static final int NFT_GOTO = -4;
    private static final int NFT_RETURN = -5;

    private static final int IFNAMSIZ = 16;
    private static final int MAX_COMMENT_BYTES = 254;

    private static final Map<String, Integer> FAMILIES = Map.of("ip", 2, "ip6", 10, "inet", 1, "arp", 3,
            "bridge", 7, "netdev", 5);
    private static final Map<String, Integer> PROTOCOLS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "icmpv6", 58,
            "sctp", 132, "udplite", 136);

    private NftElementMessages() {}

    /**
     * The elements of one message stay within this many bytes: they are one nested attribute, whose length field has
     * 16 bits (libnftnl splits its messages the same way).
     */
    static final int MAX_ELEMENT_BYTES = 60_000;

    /**
     * The whole batch, BATCH_BEGIN to BATCH_END, one transaction however many changes. A run of changes to one set
     * becomes as many messages as its elements need. Only the last change message asks for an acknowledgement: the
     * kernel reports a failing message whether asked or not, and answers in order, so the last answer says the batch
     * is done. An acknowledgement for each of hundreds of messages would overflow the socket's receive buffer (the
     * kernel sends them all at the end), and the dropped ones would be waited for in vain.
     */
    static List<NetlinkMessageBuilder> batch(List<NftElementChange> changes) {
        List<List<Encoded>> messages = new ArrayList<>();
        int i = 0;
        while (i < changes.size()) {
            NftElementChange first = changes.get(i);
            int j = i + 1;
            while (j < changes.size() && sameRun(first, changes.get(j))) {
                j++;
            }
            List<Encoded> run = new ArrayList<>(j - i);
            changes.subList(i, j).forEach(c -> run.add(encode(c)));
            int from = 0;
            int bytes = 0;
            for (int k = 0; k < run.size(); k++) {
                int size = run.get(k).size();
                if (k > from && bytes + size > MAX_ELEMENT_BYTES) {
                    messages.add(run.subList(from, k));
                    from = k;
                    bytes = 0;
                }
                bytes += size;
            }
            messages.add(run.subList(from, run.size()));
            i = j;
        }
        List<NetlinkMessageBuilder> out = new ArrayList<>(messages.size() + 2);
        out.add(batchMarker(NFNL_MSG_BATCH_BEGIN));
        for (int m = 0; m < messages.size(); m++) {
            out.add(elements(messages.get(m), m == messages.size() - 1));
        }
        out.add(batchMarker(NFNL_MSG_BATCH_END));
        return out;
    }

    /** One element's attributes, laid out before they are written so that messages can be cut to size. */
    private record Encoded(NftElementChange change, byte[] key, byte[] data, byte[] comment) {
        /** The bytes the element takes in the message, headers and padding included. */
        int size() {
            int size = 4 + 4 + 4 + align(key.length); // LIST_ELEM, KEY, DATA_VALUE
            if (change.add() && change.valueType() != null) {
                size += 4 + (data != null ? 4 + align(data.length)
                        : 4 + 8 + 4 + align(change.value().length() + 1)); // DATA, then a value or a verdict
            }
            if (comment != null) {
                size += 4 + align(comment.length);
            }
            return size;
        }

        private static int align(int n) {
            return (n + 3) & ~3;
        }
    }

    private static Encoded encode(NftElementChange c) {
        if (c.interval()) {
            throw new Unsupported("set " + c.set() + " is an interval set");
        }
        byte[] key = value(c.keyType(), c.key());
        byte[] data = null;
        if (c.add() && c.valueType() != null) {
            Objects.requireNonNull(c.value(), () -> "map " + c.set() + " element " + c.key() + " has no value");
            if (!c.valueType().equals("verdict")) {
                data = value(c.valueType(), c.value());
            }
        }
        byte[] comment = c.add() && c.comment() != null ? comment(c.comment()) : null;
        return new Encoded(c, key, data, comment);
    }

    private static boolean sameRun(NftElementChange a, NftElementChange b) {
        return a.add() == b.add() && a.family().equals(b.family()) && a.table().equals(b.table())
                && a.set().equals(b.set());
    }

    /** nfgenmsg of the batch markers: AF_UNSPEC, version 0, the subsystem as res_id in network byte order. */
    private static NetlinkMessageBuilder batchMarker(int type) {
        return new NetlinkMessageBuilder(type, Rtnl.NLM_F_REQUEST)
                .bytes(new byte[] {0, 0, 0, (byte) NFNL_SUBSYS_NFTABLES});
    }

    private static NetlinkMessageBuilder elements(List<Encoded> run, boolean ack) {
        NftElementChange first = run.getFirst().change();
        Integer family = FAMILIES.get(first.family());
        if (family == null) {
            throw new Unsupported("'" + first.family() + "' is not an nftables family");
        }
        boolean add = first.add();
        int type = (NFNL_SUBSYS_NFTABLES << 8) | (add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM);
        // Without NLM_F_EXCL adding an element that is there already (with the same value) is no error, as in nft.
        int flags = Rtnl.NLM_F_REQUEST | (add ? Rtnl.NLM_F_CREATE : 0) | (ack ? Rtnl.NLM_F_ACK : 0);
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(type, flags).bytes(new byte[] {family.byteValue(), 0, 0, 0});
        m.attrString(NFTA_SET_ELEM_LIST_TABLE, first.table());
        m.attrString(NFTA_SET_ELEM_LIST_SET, first.set());
        int list = m.beginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        for (Encoded e : run) {
            element(m, e);
        }
        m.endNested(list);
        return m;
    }

    private static void element(NetlinkMessageBuilder m, Encoded e) {
        NftElementChange c = e.change();
        int element = m.beginNested(NFTA_LIST_ELEM);
        int key = m.beginNested(NFTA_SET_ELEM_KEY);
        m.attr(NFTA_DATA_VALUE, e.key());
        m.endNested(key);
        if (c.add() && c.valueType() != null) {
            int data = m.beginNested(NFTA_SET_ELEM_DATA);
            if (e.data() == null) {
                verdict(m, c.value());
            } else {
                m.attr(NFTA_DATA_VALUE, e.data());
            }
            m.endNested(data);
        }
        if (e.comment() != null) {
            m.attr(NFTA_SET_ELEM_USERDATA, e.comment());
        }
        m.endNested(element);
    }

    private static void verdict(NetlinkMessageBuilder m, String text) {
        String[] words = WORDS.split(text.strip());
        int code = switch (words[0]) {
            case "accept" -> NF_ACCEPT;
            case "drop" -> NF_DROP;
            case "continue" -> NFT_CONTINUE;
            case "return" -> NFT_RETURN;
            case "jump" -> NFT_JUMP;
            case "goto" -> NFT_GOTO;
            default -> throw new Unsupported("verdict '" + text + "'");
        };
        boolean toChain = code == NFT_JUMP || code == NFT_GOTO;
        if (words.length != (toChain ? 2 : 1)) {
            throw new Unsupported("verdict '" + text + "'");
        }
        int v = m.beginNested(NFTA_DATA_VERDICT);
        m.attr(NFTA_VERDICT_CODE, ByteBuffer.allocate(4).putInt(code).array()); // network byte order, as nft sends it
        if (toChain) {
            m.attrString(NFTA_VERDICT_CHAIN, words[1]);
        }
        m.endNested(v);
    }

    /** libnftnl's TLV: type, length, the NUL-terminated comment. */
    private static byte[] comment(String text) {
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        if (s.length > MAX_COMMENT_BYTES) {
            throw new Unsupported("comment of " + s.length + " bytes");
        }
        byte[] out = new byte[s.length + 3];
        out[0] = UDATA_ELEMENT_COMMENT;
        out[1] = (byte) (s.length + 1);
        System.arraycopy(s, 0, out, 2, s.length);
        return out;
    }

    /** The bytes of a key or value of {@code type} ({@code a . b . c} for a concatenation) written as nft writes it. */
    static byte[] value(String type, String text) {
        List<String> types = List.of(CONCATENATION.split(type));
        List<String> fields = fields(text);
        if (types.size() != fields.size()) {
            throw new IllegalArgumentException("'" + text + "' has " + fields.size() + " fields, type " + type + " has "
                    + types.size());
        }
        if (types.size() == 1) {
            return field(types.getFirst().strip(), fields.getFirst());
        }
        ByteBuffer out = ByteBuffer.allocate(types.size() * 16 + 16);
        for (int i = 0; i < types.size(); i++) {
            byte[] f = field(types.get(i).strip(), fields.get(i));
            out.put(f);
            out.put(new byte[(4 - f.length % 4) % 4]);
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static byte[] field(String type, String text) {
        return switch (type) {
            case "ifname" -> ifname(text);
            case "ether_addr" -> {
                byte[] mac = HexFormat.ofDelimiter(":").parseHex(text);
                if (mac.length != 6) {
                    throw new IllegalArgumentException("'" + text + "' is not a MAC address");
                }
                yield mac;
            }
            case "ipv4_addr" -> address(text, Inet4Address.class);
            case "ipv6_addr" -> address(text, Inet6Address.class);
            case "inet_proto" -> new byte[] {(byte) protocol(text)};
            // nft's typeof of numgen and jhash: a 32-bit number in host byte order, as those expressions write it.
            case "integer" -> {
                long n = Long.parseLong(text);
                if (n < 0 || n > 0xffffffffL) {
                    throw new IllegalArgumentException("'" + text + "' is not a 32-bit number");
                }
                yield ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt((int) n).array();
            }
            case "inet_service" -> {
                int port = Integer.parseInt(text);
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("'" + text + "' is not a port");
                }
                yield new byte[] {(byte) (port >> 8), (byte) port};
            }
            default -> throw new Unsupported("type " + type);
        };
    }

    private static byte[] ifname(String text) {
        if (text.length() < 2 || !text.startsWith("\"") || !text.endsWith("\"")) {
            throw new IllegalArgumentException("interface name " + text + " is not quoted");
        }
        byte[] name = text.substring(1, text.length() - 1).getBytes(StandardCharsets.UTF_8);
        if (name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name " + text + " is longer than 15 bytes");
        }
        byte[] out = new byte[IFNAMSIZ];
        System.arraycopy(name, 0, out, 0, name.length);
        return out;
    }

    private static byte[] address(String text, Class<? extends InetAddress> family) {
        if (text.contains("/") || text.contains("-")) {
            throw new Unsupported("range or prefix " + text);
        }
        InetAddress address = IpAddresses.parse(text);
        if (!family.isInstance(address)) {
            throw new IllegalArgumentException("'" + text + "' is not an " + (family == Inet4Address.class ? "IPv4" : "IPv6")
                    + " address");
        }
        return address.getAddress();
    }

    private static int protocol(String text) {
        Integer known = PROTOCOLS.get(text);
        if (known != null) {
            return known;
        }
        int number = Integer.parseInt(text);
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("'" + text + "' is not a protocol");
        }
        return number;
    }

    /** The fields of {@code a . b . c}; a quoted field (an interface name) may hold anything but a quote. */
    static List<String> fields(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        String s = text.strip();
        while (true) {
            int end;
            if (s.startsWith("\"", i)) {
                end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quote in '" + text + "'");
                }
                end++;
            } else {
                end = s.indexOf(" . ", i);
                end = end < 0 ? s.length() : end;
            }
            out.add(s.substring(i, end).strip());
            if (end >= s.length()) {
                return out;
            }
            if (!s.startsWith(" . ", end)) {
                throw new IllegalArgumentException("expected ' . ' after field " + out.getLast() + " in '" + text + "'");
            }
            i = end + 3;
        }
    }
}
