package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keyValuesWithEqualContentAreEqual() {
        KeyValue a = new KeyValue("/k", bytes("v"), 1, 2, 3, 0);
        KeyValue b = new KeyValue("/k", bytes("v"), 1, 2, 3, 0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new KeyValue("/k", bytes("w"), 1, 2, 3, 0));
        assertThat(a).isNotEqualTo(new KeyValue("/k", bytes("v"), 1, 2, 4, 0));
        assertThat(a.toString()).contains("value=v", "modRevision=2");
    }
}
