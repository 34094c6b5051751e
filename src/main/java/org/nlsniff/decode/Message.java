package org.nlsniff.decode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.Problem;
import org.nlsniff.spec.Operation;

/**
 * One decoded netlink message (or, when {@code type < 0}, a piece of a datagram that held no
 * readable message). A pure function of the frame's bytes and the specs: nothing in here depends
 * on the host doing the decoding. Not thread-safe; owned by whoever decoded it.
 */
public final class Message {
    static final NodeFactory JSON = new NodeFactory();

    public final Frame frame;
    /** 0-based position within the frame's datagram. */
    public final int index;
    /** Byte offset of the nlmsghdr within the datagram. */
    public final int offset;
    public final int length;
    public final int type;
    public final int flags;
    public final long seq;
    public final long pid;
    /** The spec operation, null when the type is unknown for the protocol. */
    public final Operation operation;

    public final ObjectNode header = JSON.objectNode();
    public final ObjectNode attrs = JSON.objectNode();
    public final ArrayNode unknown = JSON.arrayNode();
    public final List<Problem> problems = new ArrayList<>();
    /** Hex of a payload no decoder understood (other protocols, unknown types), else null. */
    public String rawHex;
    /** Event name ({@code link.new}, {@code ack}, ...), set by the decoder. */
    public String event;
    /**
     * For a derived event ({@code link.moved}): the frame numbers of the messages it joins (0 for
     * live ones). Derived events have no frame of their own. Null for decoded messages.
     */
    public long[] derivedFrom;
    /** For a derived event: the messages it joins (the deletion, then the target's new link). */
    public java.util.List<Message> joined;
    /**
     * Whether some attribute, at any depth, repeats without being multi-attr (its value is then a
     * {@link RepeatedValues}); set by the decoder, so readers that want one value per attribute
     * only look for them when there are any.
     */
    public boolean repeats;
    /** Name of the generic netlink family of a dynamic id, set by an enricher; else null. */
    public String genlFamily;
    /**
     * A rendering of what decoding alone decides (for the JSON-lines sink: header, attributes,
     * unknown entries, problems), made ahead on a decoding thread; valid while
     * {@link #contentStamp()} still equals {@link #renderedStamp}. Null when none was made.
     */
    public byte[] rendered;
    public long renderedStamp;

    public Message(Frame frame, int index, int offset, int length, int type, int flags, long seq,
            long pid, Operation operation) {
        this.frame = frame;
        this.index = index;
        this.offset = offset;
        this.length = length;
        this.type = type;
        this.flags = flags;
        this.seq = seq;
        this.pid = pid;
        this.operation = operation;
    }

    /**
     * Grows whenever header, attributes (their top-level entries), unknown entries, problems or
     * the raw hex change (a sum of counters that only grow: nothing removes from a decoded
     * message), so a rendering made earlier can tell it is stale.
     */
    public long contentStamp() {
        long h = header instanceof DecodedObject d ? d.version() : -1;
        long a = attrs instanceof DecodedObject d ? d.version() : -1;
        if (h < 0 || a < 0) {
            return Long.MIN_VALUE; // not our node type: never trust a rendering
        }
        return h + a + unknown.size() + problems.size() + (rawHex == null ? 0 : 1)
                + (derivedFrom == null ? 0 : 1);
    }

    /**
     * What the message is, from its netlink header alone: {@code request} (NLM_F_REQUEST),
     * {@code ack} / {@code error} (NLMSG_ERROR with error 0 / not 0), {@code done}, {@code dump}
     * (NLM_F_MULTI part of a dump reply), else {@code notification}; null for datagram pieces
     * that held no message. nlmon marks every frame outgoing, so the header is all there is.
     */
    public String kind() {
        if (type < 0) {
            return null;
        }
        if (type == 2) {
            return "ack".equals(event) ? "ack" : "error";
        }
        if (type == 3) {
            return "done";
        }
        if (isRequest()) {
            return "request";
        }
        return (flags & 0x2) != 0 ? "dump" : "notification";
    }

    /** {@code to-kernel} for requests, {@code to-user} for everything the kernel sends. */
    public String direction() {
        String k = kind();
        return k == null ? null : k.equals("request") ? "to-kernel" : "to-user";
    }

    /** Kernel constant of the type ({@code RTM_NEWLINK}), or null when not known. */
    public String typeName() {
        return operation == null ? null : operation.constant();
    }

    /** Spec family name ({@code rt-link}), or null. */
    public String familyName() {
        return operation == null ? null : operation.family().name;
    }

    /**
     * True for a user→kernel request. NLM_F_REQUEST alone is not enough: the kernel copies the
     * requester's nlmsg_flags into some notifications (nexthop: nexthop_notify() passes the
     * request's flags) and puts the requester's port id in nlmsg_pid, while iproute2 and libmnl
     * send requests with nlmsg_pid 0. So a NEW/DEL/SET with NLM_F_REQUEST and a port id is taken
     * as such a notification, and nothing a live multicast listener receives is a request.
     */
    public boolean isRequest() {
        if ((flags & 0x1) == 0 || frame.live()) {
            return false;
        }
        if (pid == 0 || operation == null) {
            return true;
        }
        String verb = operation.verb();
        return !(verb.equals("new") || verb.equals("del") || verb.equals("set"));
    }

    /**
     * An integer header field or attribute (the last copy of a repeated one), or {@code dflt}
     * when absent or not a number.
     */
    public long num(ObjectNode node, String key, long dflt) {
        var v = RepeatedValues.last(node.get(key));
        return v != null && v.isNumber() ? v.asLong() : dflt;
    }

    /** A text attribute or header field (the last copy of a repeated one), or null. */
    public static String text(ObjectNode node, String key) {
        var v = RepeatedValues.last(node.get(key));
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
