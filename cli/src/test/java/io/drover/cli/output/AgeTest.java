package io.drover.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgeTest {

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
            "0, 0s",
            "5, 5s",
            "119, 119s",
            "180, 3m",
            "200, 3m20s",
            "900, 15m",
            "7200, 120m",
            "10800, 3h",
            "12600, 3h30m",
            "36000, 10h",
            "172800, 2d",
            "345600, 4d",
            "367200, 4d6h",
            "1728000, 20d",
            "63072000, 2y",
            "65664000, 2y30d",
            "315360000, 10y",
    })
    void formatsAsKubectl(long seconds, String expected) {
        assertThat(Age.of(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @Test
    void toleratesOneSecondOfClockSkewAndFlagsMore() {
        assertThat(Age.of(Duration.ofMillis(-1500))).isEqualTo("0s");
        assertThat(Age.of(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    }

    @Test
    void computesFromTheCreationTimestamp() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");

        assertThat(Age.since("2026-03-01T11:57:00Z", now)).isEqualTo("3m");
        assertThat(Age.since("2026-03-01T13:00:00+02:00", now)).isEqualTo("60m");
        assertThat(Age.since(null, now)).isEqualTo("<unknown>");
        assertThat(Age.since("yesterday", now)).isEqualTo("<unknown>");
    }
}
