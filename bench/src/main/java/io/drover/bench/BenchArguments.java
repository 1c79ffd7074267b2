package io.drover.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's command line: {@code --NAME N} options with numeric defaults, a few {@code --NAME TEXT} ones, and
 * {@code --help}. Each benchmark checks the ranges of its own values; this only reads them, and says exactly which
 * option is wrong and how.
 *
 * @param numbers every numeric option, given or defaulted, in the order of the defaults
 * @param texts   the text options given
 * @param help    whether {@code --help} or {@code -h} was asked for (the rest is then not read)
 */
public record BenchArguments(Map<String, Integer> numbers, Map<String, String> texts, boolean help) {

    public BenchArguments {
        numbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
        texts = Map.copyOf(texts);
    }

    /**
     * @throws IllegalArgumentException naming the option: one without its value, an unknown one, or a number that
     *                                  is not one; each message ends with {@code usage}
     */
    public static BenchArguments parse(String[] args, Map<String, Integer> defaults, Set<String> textOptions,
            String usage) {
        Map<String, Integer> numbers = new LinkedHashMap<>(defaults);
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new BenchArguments(numbers, texts, true);
            }
            if (!numbers.containsKey(arg) && !textOptions.contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg + "; " + usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value; " + usage);
            }
            String value = args[++i];
            if (textOptions.contains(arg)) {
                texts.put(arg, value);
            } else {
                try {
                    numbers.put(arg, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(arg + " takes a number, not '" + value + "'; " + usage);
                }
            }
        }
        return new BenchArguments(numbers, texts, false);
    }

    /** One option's value. */
    public int number(String option) {
        Integer value = numbers.get(option);
        if (value == null) {
            throw new IllegalArgumentException("no numeric option " + option);
        }
        return value;
    }

    /** {@code (defaults: --a 1 --b 2)}, for the help text. */
    public static String defaultsText(Map<String, Integer> defaults) {
        return defaultsText(defaults, null);
    }

    /** {@code (defaults: --a 1 --b 2; NOTE)}; no note when {@code note} is null. */
    public static String defaultsText(Map<String, Integer> defaults, String note) {
        StringBuilder out = new StringBuilder("(defaults:");
        defaults.forEach((k, v) -> out.append(' ').append(k).append(' ').append(v));
        if (note != null) {
            out.append("; ").append(note);
        }
        return out.append(')').toString();
    }
}
