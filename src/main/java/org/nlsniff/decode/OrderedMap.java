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
    private int[] hashes;
    private String[] keys;
    private Object[] values;
    private int size;
    private int modCount;
    /** Changes of any kind, replacing a value included (modCount counts structure only). */
    private int version;

    OrderedMap() {
        this(8);
    }

    OrderedMap(int capacity) {
        int c = Math.max(2, capacity);
        hashes = new int[c];
        keys = new String[c];
        values = new Object[c];
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        int h = k.hashCode();
        int[] hs = hashes;
        String[] ks = keys;
        for (int i = 0; i < size; i++) {
            if (hs[i] == h && (ks[i] == k || ks[i].equals(k))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    /** The key of slot {@code i} (0 ≤ i < size), in insertion order. */
    String keyAt(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return keys[i];
    }

    /** The value of slot {@code i} (0 ≤ i < size). */
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return (V) values[i];
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
        if (size == keys.length) {
            // Link messages have some 50 attributes: grow fast from the small start.
            int c = size < 16 ? 32 : size * 2;
            hashes = Arrays.copyOf(hashes, c);
            keys = Arrays.copyOf(keys, c);
            values = Arrays.copyOf(values, c);
        }
        hashes[size] = key.hashCode();
        keys[size] = key;
        values[size] = value;
        size++;
        modCount++;
        version++;
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
        int tail = size - i - 1;
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        keys[size] = null;
        values[size] = null;
        modCount++;
        version++;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
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
