package io.drover.policy.conformance;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.policy.NamespacedName;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a case's policy text with the model's addresses: {@code {{podIP:y/b}}} is the pod's
 * address; {@code {{cidr4:x/b}}} the /4 network holding the pod's IPv4 address (upstream's e2e tests write
 * {@code podIP/4} for a block that holds the pod and much else).
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final int CIDR4_PREFIX = 4;

    private Placeholders() {}

    /** @throws IllegalArgumentException naming a placeholder that is unknown or names a pod the model lacks */
    public static String substitute(String text, ConformanceModel model) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(valueOf(matcher.group(1), model)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String valueOf(String placeholder, ConformanceModel model) {
        int colon = placeholder.indexOf(':');
        String kind = colon < 0 ? placeholder : placeholder.substring(0, colon);
        if (colon < 0 || !(kind.equals("podIP") || kind.equals("cidr4"))) {
            throw new IllegalArgumentException("unknown placeholder {{" + placeholder + "}}; known ones are {{podIP:NS/POD}} and {{cidr4:NS/POD}}");
        }
        InetAddress address = model.address(NamespacedName.parse(placeholder.substring(colon + 1)));
        if (kind.equals("podIP")) {
            return IpAddresses.format(address);
        }
        if (IpFamily.of(address) != IpFamily.IPV4) {
            throw new IllegalArgumentException("{{" + placeholder + "}} needs an IPv4 address, but the pod has " + IpAddresses.format(address));
        }
        return Cidr.containing(address, CIDR4_PREFIX).toString();
    }
}
