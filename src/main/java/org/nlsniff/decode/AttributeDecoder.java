package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decodes one attribute payload that YAML cannot describe (named from a spec with
 * {@code x-decoder}). Implementations must be stateless and thread-safe, must read only inside
 * {@code [start, end)} of the context's buffer, and report damage with
 * {@link DecodeContext#problem} instead of throwing.
 */
@FunctionalInterface
public interface AttributeDecoder {
    /** Returns the JSON value for the attribute. */
    JsonNode decode(DecodeContext ctx, int start, int end);
}
