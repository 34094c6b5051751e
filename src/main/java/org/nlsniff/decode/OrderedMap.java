package org.nlsniff.decode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The children of a decoded JSON object: insertion-ordered like {@link java.util.LinkedHashMap},
 * but kept in three parallel arrays (hash, key, value) and searched linearly by hash. Decoded
 * objects are small and written once, so this allocates one entry object per read of an entry
 * instead of one node per insertion and a table per resize, which is most of the decoder's
 * garbage otherwise. Not thread-safe; null keys are not allowed (JSON has none).
 */
final class OrderedMap<V> extends AbstractMap<String, V> {
    /**
     * Key hashes, made by the first search (most decoded objects are only written out, never
     * searched: no array for them) and kept up to date from then on; null until then.
     */
    private int[] hashes;
    private String[] keys;
    private Object[] values;
    /** {@code "key":} of each key as the JSON writer writes it, when the adder knew it; else null. */
    private byte[][] encoded;
    private int size;
    private int modCount;
    /** Changes of any kind, replacing a value included (modCount counts structure only). */
    private int version;
    /** Entries not made yet: made on first use (filling is not a change). */
    private PendingStruct pending;

    OrderedMap() {
        this(8);
    }

    OrderedMap(int capacity) {
        int c = Math.max(2, capacity);
        keys = new String[c];
        values = new Object[c];
        encoded = new byte[c][];
    }

    /** A map whose entries are the members of {@code p}, made when first asked for. */
    OrderedMap(PendingStruct p, int capacity) {
        // No arrays until filled: most pending structs are only ever written out.
        keys = EMPTY_KEYS;
        values = EMPTY_VALUES;
        encoded = EMPTY_ENCODED;
        pending = p;
        pendingCapacity = capacity;
    }

    private static final String[] EMPTY_KEYS = {};
    private static final Object[] EMPTY_VALUES = {};
    private static final byte[][] EMPTY_ENCODED = {};
    private int pendingCapacity;

    /** The struct still waiting to be turned into entries, or null. */
    PendingStruct pending() {
        return pending;
    }

    @SuppressWarnings("unchecked")
    private void ready() {
        PendingStruct p = pending;
        if (p != null) {
            pending = null;
            keys = new String[pendingCapacity];
            values = new Object[pendingCapacity];
            encoded = new byte[pendingCapacity][];
            int v = version;
            p.fill((OrderedMap<com.fasterxml.jackson.databind.JsonNode>) this);
            version = v;
        }
    }

    /**
     * Adds an entry the caller knows is not there yet (a struct member, an attribute seen for
     * the first time in its set): no search. Counted as {@link #put} counts, but filling a
     * pending struct is not a change.
     */
    void append(String key, V value) {
        append(key, null, value);
    }

    /**
     * {@link #append(String, Object)} with the key's JSON form ({@code "key":}, see
     * {@link org.nlsniff.spec.Field#jsonKey}), or null when the caller has none.
     */
    void append(String key, byte[] jsonKey, V value) {
        if (size == keys.length) {
            // Link messages have some 50 attributes: grow fast from the small start.
            int c = size < 16 ? 32 : size * 2;
            if (hashes != null) {
                hashes = Arrays.copyOf(hashes, c);
            }
            keys = Arrays.copyOf(keys, c);
            values = Arrays.copyOf(values, c);
            encoded = Arrays.copyOf(encoded, c);
        }
        if (hashes != null) {
            hashes[size] = key.hashCode();
        }
        keys[size] = key;
        encoded[size] = jsonKey;
        values[size] = value;
        size++;
        modCount++;
        version++;
        if (index != null) {
            if (size * 2 > index.length) {
                index = null; // made again, larger, by the next search
            } else {
                indexSlot(size - 1);
            }
        }
    }

    /** Room for {@code entries} in all before it grows again (a hint; a pending map ignores it). */
    void expect(int entries) {
        if (pending == null && entries > keys.length) {
            if (hashes != null) {
                hashes = Arrays.copyOf(hashes, entries);
            }
            keys = Arrays.copyOf(keys, entries);
            values = Arrays.copyOf(values, entries);
            encoded = Arrays.copyOf(encoded, entries);
        }
    }

    private int indexOf(Object key) {
        ready();
        if (!(key instanceof String k)) {
            return -1;
        }
        int h = k.hashCode();
        int[] hs = hashes;
        if (hs == null) {
            hs = hashes = new int[keys.length];
            for (int i = 0; i < size; i++) {
                hs[i] = keys[i].hashCode();
            }
        }
        String[] ks = keys;
        if (size > SCAN_UP_TO) {
            // A link message's ~60 attributes, searched by the text printer: a table of slots.
            if (index == null) {
                buildIndex();
            }
            int[] t = index;
            int mask = t.length - 1;
            for (int j = spread(h) & mask; t[j] != 0; j = (j + 1) & mask) {
                int i = t[j] - 1;
                if (hs[i] == h && (ks[i] == k || ks[i].equals(k))) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (hs[i] == h && (ks[i] == k || ks[i].equals(k))) {
                return i;
            }
        }
        return -1;
    }

    /** Maps searched linearly up to this size; larger ones get {@link #index} when searched. */
    private static final int SCAN_UP_TO = 16;

    /**
     * Open-addressing table of slot + 1 (0: empty) by key hash, at most half full; made by the
     * first search of a large map (maps only written out never pay for it), kept up to date by
     * appends, dropped by removals.
     */
    private int[] index;

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private void buildIndex() {
        int n = Integer.highestOneBit(Math.max(size, 8) * 4 - 1);
        index = new int[n];
        for (int i = 0; i < size; i++) {
            indexSlot(i);
        }
    }

    private void indexSlot(int i) {
        int[] t = index;
        int mask = t.length - 1;
        int j = spread(hashes[i]) & mask;
        while (t[j] != 0) {
            j = (j + 1) & mask;
        }
        t[j] = i + 1;
    }

    @Override
    public int size() {
        ready();
        return size;
    }

    /** The key of slot {@code i} (0 ≤ i < size), in insertion order. */
    String keyAt(int i) {
        ready();
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return keys[i];
    }

    /** The value of slot {@code i} (0 ≤ i < size). */
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
        ready();
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return (V) values[i];
    }

    /**
     * The arrays behind the entries, for a writer's loop over slots {@code 0 .. size() - 1}:
     * read only, valid until the map changes ({@link #size()} first, which makes pending
     * entries).
     */
    String[] keyArray() {
        ready();
        return keys;
    }

    Object[] valueArray() {
        ready();
        return values;
    }

    byte[][] jsonKeyArray() {
        ready();
        return encoded;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(String key, V value) {
        if (key == null) {
            throw new NullPointerException("null key");
        }
        int i = indexOf(key);
        if (i >= 0) {
            V old = (V) values[i];
            values[i] = value;
            version++;
            return old;
        }
        append(key, value);
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        V old = (V) values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        index = null;
        int tail = size - i - 1;
        if (hashes != null) {
            System.arraycopy(hashes, i + 1, hashes, i, tail);
        }
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        System.arraycopy(encoded, i + 1, encoded, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        encoded[size] = null;
        modCount++;
        version++;
    }

    @Override
    public void clear() {
        pending = null;
        index = null;
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        Arrays.fill(encoded, 0, size, null);
        size = 0;
        modCount++;
        version++;
    }

    /** Grows with every change (see {@link DecodedObject#version}). */
    int version() {
        return version;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        ready();
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;
                    private int expected = modCount;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new Entry(last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                        expected = modCount;
                    }
                };
            }
        };
    }

    /** A live view of slot {@code i}, as LinkedHashMap's entries are. */
    private final class Entry implements Map.Entry<String, V> {
        private final int i;
        private final String key;

        Entry(int i) {
            this.i = i;
            this.key = keys[i];
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V getValue() {
            return (V) values[i];
        }

        @Override
        @SuppressWarnings("unchecked")
        public V setValue(V value) {
            V old = (V) values[i];
            values[i] = value;
            version++;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey())
                    && java.util.Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
