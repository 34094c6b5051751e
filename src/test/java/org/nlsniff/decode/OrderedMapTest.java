package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder's object map behaves as a LinkedHashMap, small (searched linearly) and large
 * (searched through its slot table, which appends keep and removals drop): a random walk of
 * puts, appends, removals, iterator removals, lookups and clears, compared after every step;
 * the keys' JSON forms given with appends stay beside their keys through it all.
 */
class OrderedMapTest {
    @Test
    void randomOperationsMatchLinkedHashMap() {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            pool.add("k" + i);
        }
        // Keys with equal hash codes ("Aa" and "BB" hash alike), so the table probes.
        pool.addAll(List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"));
        Random r = new Random(20261204);
        for (int round = 0; round < 40; round++) {
            OrderedMap<Integer> ours = new OrderedMap<>(2);
            Map<String, Integer> ref = new LinkedHashMap<>();
            java.util.Set<String> appended = new java.util.HashSet<>();
            int target = 1 + r.nextInt(round < 20 ? 20 : 110);
            for (int step = 0; step < 600; step++) {
                String k = pool.get(r.nextInt(Math.min(pool.size(), target + 6)));
                int op = r.nextInt(100);
                if (op < 40) {
                    if (!ref.containsKey(k)) {
                        appended.remove(k); // put anew: no JSON form
                    }
                    assertEquals(ref.put(k, step), ours.put(k, step), "put " + k);
                } else if (op < 55) {
                    if (!ref.containsKey(k)) {
                        ref.put(k, step);
                        ours.append(k, org.nlsniff.spec.Field.jsonKey(k), step);
                        appended.add(k);
                    }
                } else if (op < 62) {
                    assertEquals(ref.remove(k), ours.remove(k), "remove " + k);
                } else if (op < 65) {
                    removeThroughIterator(ref, ours, k);
                } else if (op < 66 && r.nextInt(4) == 0) {
                    ref.clear();
                    ours.clear();
                } else {
                    assertEquals(ref.get(k), ours.get(k), "get " + k);
                    assertEquals(ref.containsKey(k), ours.containsKey(k), "has " + k);
                }
                assertEquals(new ArrayList<>(ref.entrySet()), new ArrayList<>(ours.entrySet()),
                        "round " + round + " step " + step);
                int n = ours.size();
                String[] keys = ours.keyArray();
                byte[][] json = ours.jsonKeyArray();
                for (int i = 0; i < n; i++) {
                    String expected = appended.contains(keys[i]) ? "\"" + keys[i] + "\":" : null;
                    assertEquals(expected, json[i] == null ? null
                            : new String(json[i], java.nio.charset.StandardCharsets.US_ASCII),
                            "JSON key of slot " + i);
                }
                for (String p : pool.subList(0, 10)) {
                    assertEquals(ref.get(p), ours.get(p), "lookup " + p);
                }
            }
        }
    }

    private static void removeThroughIterator(Map<String, Integer> ref, OrderedMap<Integer> ours,
            String k) {
        for (Iterator<Map.Entry<String, Integer>> it = ref.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getKey().equals(k)) {
                it.remove();
            }
        }
        for (Iterator<Map.Entry<String, Integer>> it = ours.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getKey().equals(k)) {
                it.remove();
            }
        }
    }
}
