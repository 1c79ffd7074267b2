package io.drover.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Versions of a persistent map, each made from an earlier one by puts and removals, against plain maps made the same
 * way: every version holds what its plain map holds, stays so while later versions are made, and the difference of
 * any two versions is exactly the keys whose values differ.
 */
class PersistentMapTest {

    private record Version(PersistentMap<String, String> map, Map<String, String> plain) {}

    @Test
    void everyVersionHoldsWhatItWasMadeWithAndTheirDifferencesAreExact() {
        Random random = new Random(1121);
        List<Version> versions = new ArrayList<>();
        versions.add(new Version(PersistentMap.empty(), Map.of()));
        for (int step = 0; step < 300; step++) {
            // Mostly from the newest version, sometimes from an older one (a lineage that branches).
            Version from = random.nextInt(5) == 0 ? versions.get(random.nextInt(versions.size())) : versions.getLast();
            Map<String, String> plain = new HashMap<>(from.plain());
            PersistentMap.Editor<String, String> editor = from.map().edit();
            int changes = step < 5 ? 500 : 1 + random.nextInt(20);
            for (int c = 0; c < changes; c++) {
                String key = "k" + random.nextInt(3000);
                if (random.nextInt(3) == 0) {
                    editor.remove(key);
                    plain.remove(key);
                } else {
                    String value = "v" + random.nextInt(4);
                    editor.put(key, value);
                    plain.put(key, value);
                }
                assertThat(editor.get(key)).isEqualTo(plain.get(key));
            }
            versions.add(new Version(editor.done(), plain));
        }
        for (Version v : versions) {
            assertHolds(v);
        }
        for (int i = 0; i < 200; i++) {
            Version a = versions.get(random.nextInt(versions.size()));
            Version b = versions.get(random.nextInt(versions.size()));
            assertThat(differences(a.map(), b.map())).isEqualTo(expected(a.plain(), b.plain()));
            assertThat(a.map().equals(b.map())).isEqualTo(a.plain().equals(b.plain()));
        }
    }

    @Test
    void equalContentMadeApartIsEqualAndHasNoDifference() {
        PersistentMap.Editor<String, String> one = PersistentMap.<String, String>empty().edit();
        PersistentMap.Editor<String, String> other = PersistentMap.<String, String>empty().edit();
        for (int i = 0; i < 100; i++) {
            one.put("k" + i, "v" + i);
            other.put("k" + (99 - i), "v" + (99 - i));
        }
        PersistentMap<String, String> a = one.done();
        PersistentMap<String, String> b = other.done();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(differences(a, b)).isEmpty();
        assertThat(a.edit().put("k1", "other").done()).isNotEqualTo(b);
        assertThat(a.edit().remove("absent").done()).isSameAs(a);
    }

    private static void assertHolds(Version v) {
        assertThat(v.map().size()).isEqualTo(v.plain().size());
        Map<String, String> listed = new HashMap<>();
        v.map().forEach(listed::put);
        assertThat(listed).isEqualTo(v.plain());
        v.plain().forEach((k, value) -> assertThat(v.map().get(k)).isEqualTo(value));
        assertThat(v.map().get("absent")).isNull();
    }

    private static Set<String> differences(PersistentMap<String, String> a, PersistentMap<String, String> b) {
        Set<String> out = new HashSet<>();
        PersistentMap.diff(a, b, (key, before, after) -> {
            assertThat(before).isEqualTo(a.get(key));
            assertThat(after).isEqualTo(b.get(key));
            assertThat(out.add(key)).as("each key told once").isTrue();
        });
        return out;
    }

    private static Set<String> expected(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.removeIf(k -> Objects.equals(a.get(k), b.get(k)));
        return keys;
    }
}
