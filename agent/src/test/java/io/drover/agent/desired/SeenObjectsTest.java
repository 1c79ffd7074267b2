package io.drover.agent.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which objects came and went, told by identity through the positions they had: whatever the list does (objects
 * added anywhere, taken out, replaced by equal or other ones, the order shuffled), the keys told must be exactly those
 * whose object is not the very one seen last time.
 */
class SeenObjectsTest {

    /** An object of the store: compared by identity here, as the mirrors hand them out. */
    private static final class Item {
        final String key;

        Item(String key) {
            this.key = key;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    private final SeenObjects<Item> seen = new SeenObjects<>(i -> i.key);

    @Test
    void everyKindOfChangeIsToldByKeyAndNothingElse() {
        Random random = new Random(20261121);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(new Item("k" + i));
        }
        int next = 200;
        assertThat(look(items)).hasSize(200);
        for (int step = 0; step < 400; step++) {
            List<Item> before = List.copyOf(items);
            int kind = random.nextInt(7);
            int changes = 1 + random.nextInt(kind == 6 ? 1 : 4);
            for (int c = 0; c < changes && !items.isEmpty(); c++) {
                int at = random.nextInt(items.size());
                switch (kind) {
                    case 0 -> items.add(at, new Item("k" + next++));
                    case 1 -> items.remove(at);
                    case 2 -> items.set(at, new Item(items.get(at).key)); // changed in the store: a new object
                    case 3 -> items.add(new Item("k" + next++));
                    case 4 -> Collections.swap(items, at, random.nextInt(items.size()));
                    case 5 -> {
                        Item moved = items.remove(at);
                        items.add(random.nextInt(items.size() + 1), moved);
                    }
                    default -> Collections.shuffle(items, random);
                }
            }
            assertThat(look(items)).as("step " + step + ", change of kind " + kind).isEqualTo(expected(before, items));
            for (Item item : items) {
                assertThat(seen.get(item.key)).isSameAs(item);
            }
        }
        int present = items.size();
        items.clear();
        assertThat(look(items)).as("every object gone").hasSize(present);
    }

    @Test
    void theSameObjectsAgainAreNoChange() {
        List<Item> items = List.of(new Item("a"), new Item("b"), new Item("c"));
        look(items);
        assertThat(look(new ArrayList<>(items))).isEmpty();
        assertThat(look(List.of())).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(seen.get("a")).isNull();
    }

    private Set<String> look(List<Item> items) {
        Set<String> changed = new HashSet<>();
        seen.update(items, changed);
        return changed;
    }

    /** The keys whose object is not the one of last time, computed plainly. */
    private static Set<String> expected(List<Item> before, List<Item> after) {
        Map<String, Item> was = new HashMap<>();
        before.forEach(i -> was.put(i.key, i));
        Map<String, Item> is = new HashMap<>();
        after.forEach(i -> is.put(i.key, i));
        Set<String> keys = new HashSet<>(was.keySet());
        keys.addAll(is.keySet());
        keys.removeIf(k -> was.get(k) == is.get(k));
        return keys;
    }
}
