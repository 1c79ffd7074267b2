package io.drover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchArgumentsTest {

    private static final String USAGE = "usage: bench/run x [--seconds N] [--rounds N] [--jfr FILE]";

    private static Map<String, Integer> defaults() {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put("--seconds", 10);
        d.put("--rounds", 3);
        return d;
    }

    private static BenchArguments parse(String... args) {
        return BenchArguments.parse(args, defaults(), Set.of("--jfr"), USAGE);
    }

    @Test
    void givenValuesReplaceDefaultsAndTheRestKeepThem() {
        BenchArguments a = parse("--rounds", "7", "--jfr", "out.jfr");
        assertThat(a.numbers()).containsExactly(Map.entry("--seconds", 10), Map.entry("--rounds", 7));
        assertThat(a.number("--rounds")).isEqualTo(7);
        assertThat(a.texts()).containsExactly(Map.entry("--jfr", "out.jfr"));
        assertThat(a.help()).isFalse();
    }

    @Test
    void helpStopsReading() {
        assertThat(parse("--help", "--bogus").help()).isTrue();
        assertThat(parse("-h").help()).isTrue();
        assertThat(BenchArguments.defaultsText(defaults())).isEqualTo("(defaults: --seconds 10 --rounds 3)");
        assertThat(BenchArguments.defaultsText(defaults(), "seconds of each run"))
                .isEqualTo("(defaults: --seconds 10 --rounds 3; seconds of each run)");
    }

    @Test
    void eachMistakeNamesTheOptionAndEndsWithTheUsage() {
        assertThatThrownBy(() -> parse("--bogus", "1")).hasMessage("unknown option --bogus; " + USAGE);
        assertThatThrownBy(() -> parse("--rounds")).hasMessage("--rounds needs a value; " + USAGE);
        assertThatThrownBy(() -> parse("--rounds", "many"))
                .hasMessage("--rounds takes a number, not 'many'; " + USAGE);
    }
}
