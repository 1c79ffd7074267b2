package io.drover.policy.conformance;

/** One cell of a reachability matrix, written as one character. */
public enum Reachability {
    CONNECTED('.'),
    BLOCKED('X'),
    /** A pod to itself: not probed, since a pod cannot block itself. */
    LOOPBACK('-');

    private final char symbol;

    Reachability(char symbol) {
        this.symbol = symbol;
    }

    public char symbol() {
        return symbol;
    }

    public static Reachability of(boolean connected) {
        return connected ? CONNECTED : BLOCKED;
    }

    public static Reachability ofSymbol(char symbol) {
        for (Reachability r : values()) {
            if (r.symbol == symbol) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + symbol + "' is not a reachability; write . (connects), X (blocked) or - (itself)");
    }
}
