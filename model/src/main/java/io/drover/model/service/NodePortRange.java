package io.drover.model.service;

/** The ports NodePort and LoadBalancer services get on every node: {@code 30000-32767} by default, as Kubernetes. */
public record NodePortRange(int first, int last) {

    public static final NodePortRange DEFAULT = new NodePortRange(30000, 32767);

    public NodePortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("node port range " + first + "-" + last + " is not a range of ports: "
                    + "write FIRST-LAST with 1 <= FIRST <= LAST <= 65535, e.g. 30000-32767");
        }
    }

    /** Parses {@code FIRST-LAST}; the message says what to write. */
    public static NodePortRange parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("-", -1);
        try {
            if (parts.length == 2) {
                return new NodePortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw new IllegalArgumentException("node port range \"" + text + "\" is not FIRST-LAST; write two port "
                + "numbers joined by '-', e.g. 30000-32767");
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
