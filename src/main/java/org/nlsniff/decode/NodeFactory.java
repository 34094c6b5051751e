package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Jackson's node factory with objects backed by an {@link OrderedMap}: same ordering and
 * behaviour as Jackson's default LinkedHashMap, a fraction of the allocation. Every object the
 * decoder builds comes from here (also those made with {@code putObject}).
 */
final class NodeFactory extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    /** Small numbers (counters at 0, flags, indexes) are most of what the decoder makes. */
    private static final int CACHE_LOW = -128;
    private static final int CACHE_HIGH = 4096;
    private static final LongNode[] LONGS = new LongNode[CACHE_HIGH - CACHE_LOW];

    static {
        for (int i = 0; i < LONGS.length; i++) {
            LONGS[i] = new LongNode(i + CACHE_LOW);
        }
    }

    NodeFactory() {
        super(false);
    }

    /** Like Jackson's, but small values share one immutable node each. */
    @Override
    public NumericNode numberNode(long v) {
        if (v >= CACHE_LOW && v < CACHE_HIGH) {
            return LONGS[(int) v - CACHE_LOW];
        }
        return LongNode.valueOf(v);
    }

    @Override
    public ObjectNode objectNode() {
        return new DecodedObject(this, new OrderedMap<JsonNode>());
    }

    /** An object whose entries are the members of {@code p}, made when first asked for. */
    DecodedObject pendingStruct(PendingStruct p, int members) {
        return new DecodedObject(this, new OrderedMap<JsonNode>(p, members));
    }

    /** An object with room for {@code entries} before it grows (a struct's field count). */
    ObjectNode objectNode(int entries) {
        return new DecodedObject(this, new OrderedMap<JsonNode>(entries));
    }
}
