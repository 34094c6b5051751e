package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@link ObjectNode} over an {@link OrderedMap}, made by the decoder's node factory. It
 * behaves as any ObjectNode; writers that know it read its entries by index instead of through
 * an entry iterator.
 */
public final class DecodedObject extends ObjectNode {
    private static final long serialVersionUID = 1L;
    private final OrderedMap<JsonNode> map;

    DecodedObject(JsonNodeFactory factory, OrderedMap<JsonNode> map) {
        super(factory, map);
        this.map = map;
    }

    /**
     * The plain-number struct this object still has to turn into entries, or null: a writer may
     * copy it out from the bytes instead (reading any entry makes the entries first).
     */
    public PendingStruct pending() {
        return map.pending();
    }

    /**
     * The integer entry {@code key} as {@link JsonNode#asLong()} gives it, or {@code dflt} when
     * there is none or it is not a number; a struct still pending is read straight from its bytes
     * (reading one member of it does not make all its entries).
     */
    public long number(String key, long dflt) {
        PendingStruct p = map.pending();
        if (p != null) {
            int i = p.layout().indexOf(key);
            return i >= 0 ? p.valueAt(i) : dflt;
        }
        JsonNode v = get(key);
        return v != null && v.isNumber() ? v.asLong() : dflt;
    }

    /** Adds an entry whose key is known not to be there yet (no search). */
    void append(String key, JsonNode value) {
        map.append(key, value);
    }

    /** {@link #append(String, JsonNode)} with the key's JSON form (or null). */
    void append(String key, byte[] jsonKey, JsonNode value) {
        map.append(key, jsonKey, value);
    }

    /** Makes room for {@code entries} in all before it grows again (a hint). */
    void expect(int entries) {
        map.expect(entries);
    }

    /** Number of entries (same as {@link #size()}). */
    public int entryCount() {
        return map.size();
    }

    /** The key of entry {@code i}, in insertion order. */
    public String keyAt(int i) {
        return map.keyAt(i);
    }

    /**
     * The arrays behind the entries, for a writer's loop over {@code 0 .. entryCount() - 1}
     * (call {@link #entryCount()} first): keys, values (JsonNodes), and the keys' JSON form
     * ({@code "key":}) where the decoder knew it, else null. Read only; valid until the object
     * changes.
     */
    public String[] keyArray() {
        return map.keyArray();
    }

    public Object[] valueArray() {
        return map.valueArray();
    }

    public byte[][] jsonKeyArray() {
        return map.jsonKeyArray();
    }

    /** The value of entry {@code i}, in insertion order. */
    public JsonNode valueAt(int i) {
        return map.valueAt(i);
    }

    /**
     * Grows with every change to this object's own entries (not to nested ones): lets a cached
     * rendering tell whether the object changed since.
     */
    public int version() {
        return map.version();
    }
}
