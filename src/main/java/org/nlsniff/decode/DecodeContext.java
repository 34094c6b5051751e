package org.nlsniff.decode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nlsniff.frame.Problem;
import org.nlsniff.spec.AttrSet;
import org.nlsniff.spec.Spec;
import org.nlsniff.spec.StructDef;

/**
 * What a Java decoder sees while one message is decoded: the datagram buffer (absolute
 * positions), its byte order, the message, and the generic walker for attribute sets. One
 * context per message; not thread-safe.
 */
public final class DecodeContext {
    private final SpecDecoder walker;
    private final ByteBuffer buf;
    private final Message message;
    /** Nesting depth of the attribute being decoded, so Java decoders cannot bypass the limit. */
    int depth = 1;

    /** Entries the message may still decode ({@link SpecDecoder#MAX_ENTRIES}), shared with
     * the messages it embeds. */
    private final int[] budget;

    DecodeContext(SpecDecoder walker, ByteBuffer buf, Message message, int[] budget) {
        this.walker = walker;
        this.buf = buf;
        this.message = message;
        this.budget = budget;
    }

    /**
     * Counts one more attribute or entry of the message; false when it holds more than
     * {@link SpecDecoder#MAX_ENTRIES}: the caller stops there and reports the rest with
     * {@link #tooMany}.
     */
    public boolean spend() {
        if (budget[0] <= 0) {
            return false;
        }
        budget[0]--;
        return true;
    }

    /** Reports the bytes {@code [start, end)} as not decoded, the message's budget being spent. */
    public void tooMany(int start, int end, String path) {
        SpecDecoder.tooMany(this, start, end, path);
    }

    /** The datagram; read with absolute positions only. */
    public ByteBuffer buffer() {
        return buf;
    }

    public ByteOrder order() {
        return buf.order();
    }

    public Message message() {
        return message;
    }

    public Spec spec() {
        return walker.spec();
    }

    public JsonNodeFactory json() {
        return Message.JSON;
    }

    /** Records a problem on the message. */
    public void problem(String code, int offset, String detail) {
        message.problems.add(new Problem(code, offset, detail));
    }

    /** Walks the attributes of {@code set} in {@code [start, end)} into a new object. */
    public ObjectNode attributes(AttrSet set, int start, int end, String path) {
        ObjectNode out = Message.JSON.objectNode();
        walker.walk(this, set, start, end, out, path, depth + 1);
        return out;
    }

    /**
     * Decodes a whole message embedded at {@code [start, end)} (the request an NLMSG_ERROR
     * echoes), with the same frame; its problems and unknown entries are the caller's to merge.
     */
    public Message embedded(int start, int end) {
        return walker.decodeMessage(message.frame, buf, -1, start, end, depth + 1, budget);
    }

    /** Decodes the members of a struct that fit in {@code [start, end)} into {@code out}. */
    public void struct(StructDef s, int start, int end, ObjectNode out) {
        walker.struct(this, s, start, end, out);
    }

    /** Walks the attributes of {@code set} in {@code [start, end)} into {@code out}. */
    public void walk(AttrSet set, int start, int end, ObjectNode out) {
        walker.walk(this, set, start, end, out, "", depth + 1);
    }

    /** Adds an attribute without a spec to the message's unknown list. */
    public void unknown(int rawType, int start, int end, String path) {
        walker.unknown(this, rawType, start, end, path);
    }

    ArrayNode unknownList() {
        return message.unknown;
    }
}
