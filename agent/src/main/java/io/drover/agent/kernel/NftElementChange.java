package io.drover.agent.kernel;

import java.util.List;
import java.util.Objects;

/**
 * One element added to or deleted from an nftables set or map, in nft's own syntax together with the set's declared
 * types, so that it can be written either as an {@code nft -f} line or straight through nf_tables netlink (which
 * needs the types to lay out the key's bytes).
 *
 * @param family    the table's family ({@code inet}, {@code bridge}, ...)
 * @param table     the table's name
 * @param set       the set's or map's name
 * @param keyType   the set's key type as declared, e.g. {@code ifname . ether_addr . ipv4_addr}
 * @param valueType a map's value type ({@code verdict}, {@code ipv4_addr . inet_service}); null for a set
 * @param interval  whether the set is declared with {@code flags interval}
 * @param add       add (true) or delete (false)
 * @param key       the key as nft writes it, e.g. {@code "dv1a2b" . 0a:11:22:33:44:55 . 10.1.0.7}
 * @param value     a map element's value as nft writes it ({@code goto pod_in_x}); null for a set element
 * @param comment   the element's comment, already in the form nft stores it; null for none
 */
public record NftElementChange(String family, String table, String set, String keyType, String valueType,
        boolean interval, boolean add, String key, String value, String comment) {

    public NftElementChange {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
    }

    /** The change as one {@code nft -f} line: a deletion names the key only, as nft requires. */
    public String nftLine() {
        String element = key;
        if (add && comment != null) {
            element += " comment \"" + comment + "\"";
        }
        if (add && value != null) {
            element += " : " + value;
        }
        return (add ? "add" : "delete") + " element " + family + " " + table + " " + set + " { " + element + " }";
    }

    /** The changes as an {@code nft -f} script, one line each, in order: applied by nft as one transaction. */
    public static String script(List<NftElementChange> changes) {
        StringBuilder sb = new StringBuilder();
        changes.forEach(c -> sb.append(c.nftLine()).append('\n'));
        return sb.toString();
    }
}
