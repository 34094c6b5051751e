package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Jackson's node factory with objects backed by an {@link OrderedMap}: same ordering and
 * behaviour as Jackson's default LinkedHashMap, a fraction of the allocation. Every object the
 * decoder builds comes from here (also those made with {@code putObject}).
 */
final class NodeFactory extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    NodeFactory() {
        super(false);
    }

    @Override
    public ObjectNode objectNode() {
        return new DecodedObject(this, new OrderedMap<JsonNode>());
    }
}
