package io.drover.agent.rules;

import java.util.Objects;

/**
 * One element of an nft set or map, already in nft syntax: {@code key} such as {@code tcp . 8080} or
 * {@code "dr-blue" . 10.10.0.0/16}, {@code value} for map elements ({@code 10.10.0.7 . 80}), null for set
 * elements, and an optional comment naming who the element is for.
 *
 * <p>The text form is canonical (addresses as {@code IpAddresses.format} prints them, a prefix of full length as a
 * bare address, ports in decimal, protocols by name), the same that {@link ProgrammedTable} reads back from the
 * kernel, so that elements rendered here and elements listed by nft compare equal.
 */
public record SetElement(String key, String value, String comment) {

    public SetElement {
        Objects.requireNonNull(key, "key");
        comment = comment == null || comment.isEmpty() ? null : NftWriter.commentText(comment);
    }

    public static SetElement of(String key, String comment) {
        return new SetElement(key, null, comment);
    }

    public static SetElement mapping(String key, String value, String comment) {
        return new SetElement(key, Objects.requireNonNull(value, "value"), comment);
    }

    /** The element as written in {@code elements = { ... }} or {@code add element}. */
    public String render() {
        StringBuilder sb = new StringBuilder(key);
        if (comment != null) {
            sb.append(' ').append(NftWriter.comment(comment));
        }
        if (value != null) {
            sb.append(" : ").append(value);
        }
        return sb.toString();
    }
}
