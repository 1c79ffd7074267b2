package io.drover.agent.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of {@code conformance/proxy-packet-flows.tsv}: a packet from one or more sources to a destination, and
 * what kube-proxy does with it.
 *
 * @param test      the kube-proxy test whose services the row assumes (see {@link ProxyFlowScenarios})
 * @param flow      what the row checks, in words
 * @param sources   the client addresses (a row may name several, each must give the outcome)
 * @param address   the destination address
 * @param port      the destination port
 * @param protocol  TCP, UDP or SCTP
 * @param output    the endpoints that may answer ({@code ip:port}), or REJECT, DROP, or "" (left alone)
 * @param masquerade whether the endpoint sees another source than the client's; null when the row does not say
 */
record ProxyFlowVector(String test, String flow, List<String> sources, String address, int port, String protocol,
        String output, Boolean masquerade) {

    private static final Pattern DESTINATION = Pattern.compile("([0-9.]+):(\\d+)/(TCP|UDP|SCTP)");

    boolean rejected() {
        return output.equals("REJECT");
    }

    boolean dropped() {
        return output.equals("DROP");
    }

    boolean leftAlone() {
        return output.equals("\"\"") || output.isEmpty();
    }

    List<String> endpoints() {
        return rejected() || dropped() || leftAlone() ? List.of()
                : Arrays.stream(output.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return test + " / " + flow + ": " + String.join("|", sources) + " -> " + address + ":" + port + "/" + protocol;
    }

    static List<ProxyFlowVector> read(Path file) throws IOException {
        List<ProxyFlowVector> out = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != 6) {
                throw new IllegalArgumentException(file + ":" + number + ": expected 6 tab-separated columns, found "
                        + cells.length);
            }
            Matcher m = DESTINATION.matcher(cells[3].trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + number + ": destination '" + cells[3]
                        + "' is not ADDRESS:PORT/PROTOCOL");
            }
            List<String> sources = Arrays.stream(cells[2].split("\\|")).map(String::trim).toList();
            String masq = cells[5].trim();
            out.add(new ProxyFlowVector(cells[0].trim(), cells[1].trim(), sources, m.group(1), Integer.parseInt(m.group(2)),
                    m.group(3), cells[4].trim(), masq.equals("-") ? null : Boolean.parseBoolean(masq)));
        }
        return out;
    }
}
