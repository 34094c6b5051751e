package org.nlsniff.sink;

import java.io.IOException;
import java.io.OutputStream;
import org.nlsniff.decode.Message;
import org.nlsniff.event.Event;
import org.nlsniff.frame.Problem;
import org.nlsniff.spec.EnumDef;
import org.nlsniff.spec.Family;
import org.nlsniff.spec.Spec;

/**
 * JSON lines, one object per netlink message, written by {@link JsonWriter} in the
 * fixed key order of the README's contract: ts, source, frame, nsid, netns, protocol, type,
 * event, direction, kind, nlmsg_flags, nlmsg_seq, nlmsg_pid, summary, header, attrs, unknown, problems (then
 * {@code hex} when a payload had no decoder).
 */
public final class JsonLinesSink implements EventSink {
    private final JsonWriter w;
    private final EnumDef base;
    private final EnumDef getFlags;
    private final EnumDef newFlags;
    private final EnumDef ackFlags;
    /** No flag name written yet in the current {@code nlmsg_flags}. */
    private boolean firstFlag;

    public JsonLinesSink(OutputStream out, Spec spec) {
        this.w = new JsonWriter(out);
        Family nl = spec.family("netlink");
        base = nl == null ? null : nl.enums.get("nlm-flags");
        getFlags = nl == null ? null : nl.enums.get("nlm-get-flags");
        newFlags = nl == null ? null : nl.enums.get("nlm-new-flags");
        ackFlags = nl == null ? null : nl.enums.get("nlm-ack-flags");
    }

    /** The fixed keys of a line, with what comes before them. */
    private static final byte[] TS = ascii("{\"ts\":");
    private static final byte[] FRAME = ascii(",\"frame\":");
    private static final byte[] NSID = ascii(",\"nsid\":");
    private static final byte[] NETNS = ascii(",\"netns\":");
    private static final byte[] SEQ = ascii(",\"nlmsg_seq\":");
    private static final byte[] PID = ascii(",\"nlmsg_pid\":");
    private static final byte[] SUMMARY = ascii(",\"summary\":");

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void accept(Event e) throws IOException {
        Message m = e.message();
        w.bytes(TS);
        w.timestamp(m.frame.tsNanos());
        w.bytes(source(m.frame.source()));
        w.bytes(FRAME);
        if (m.frame.number() > 0 && m.derivedFrom == null) {
            w.number(m.frame.number());
        } else {
            w.nul();
        }
        w.bytes(NSID);
        if (m.frame.nsid() != null) {
            w.number(m.frame.nsid());
        } else {
            w.nul();
        }
        w.bytes(NETNS);
        w.string(e.netns());
        w.bytes(classification(m));
        w.bytes(SEQ);
        w.number(m.seq);
        w.bytes(PID);
        w.number(m.pid);
        w.bytes(SUMMARY);
        w.summary(e.lines());
        w.comma();
        if (m.rendered != null && m.renderedStamp == m.contentStamp()) {
            w.bytes(m.rendered);
        } else {
            body(w, m);
        }
        w.raw('}');
        w.raw('\n');
    }

    /** The last source written and its {@code ,"source":".."} (one per capture, or "live"). */
    private String lastSource;
    private byte[] lastSourceField;

    private byte[] source(String source) throws IOException {
        if (source != lastSource || lastSourceField == null) {
            JsonWriter cw = classBuffer.writer();
            cw.stringField("source", source);
            lastSourceField = classBuffer.take();
            lastSource = source;
        }
        return lastSourceField;
    }

    /**
     * What a message's class decides, from {@code ,"protocol"} to {@code "nlmsg_flags":[..]}:
     * the same for every message of one protocol, type, flags, event and kind, so rendered once
     * per such class (a few hundred in any capture; the cache starts again past
     * {@link #MAX_CLASSES}).
     */
    private record Class(int protocol, int type, int flags, String typeName, String operation,
            String genlFamily, String event, String kind, byte[] rendered) {
        boolean is(int protocol, int type, int flags, String typeName, String operation,
                String genlFamily, String event, String kind) {
            return this.protocol == protocol && this.type == type && this.flags == flags
                    && java.util.Objects.equals(this.typeName, typeName)
                    && java.util.Objects.equals(this.operation, operation)
                    && java.util.Objects.equals(this.genlFamily, genlFamily)
                    && java.util.Objects.equals(this.event, event)
                    && java.util.Objects.equals(this.kind, kind);
        }
    }

    private static final int MAX_CLASSES = 4096;
    /**
     * Open addressing by the class's hash, at most half full: a lookup allocates nothing (a
     * record as HashMap key per message was measured at 0.16 of the 10.7 GB a 2-million-message
     * run allocated).
     */
    private final Class[] classes = new Class[2 * MAX_CLASSES];
    private int classCount;
    private final JsonWriter.Buffer classBuffer = new JsonWriter.Buffer();

    private byte[] classification(Message m) throws IOException {
        int protocol = m.frame.protocol();
        String typeName = m.typeName();
        String operation = m.operation == null ? null : m.operation.name();
        String kind = m.kind();
        int h = ((((protocol * 31 + m.type) * 31 + m.flags) * 31
                + java.util.Objects.hashCode(operation)) * 31
                + java.util.Objects.hashCode(m.event)) * 31 + java.util.Objects.hashCode(kind);
        int mask = classes.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        for (Class c; (c = classes[slot]) != null; slot = (slot + 1) & mask) {
            if (c.is(protocol, m.type, m.flags, typeName, operation, m.genlFamily, m.event,
                    kind)) {
                return c.rendered();
            }
        }
        if (classCount >= MAX_CLASSES) {
            java.util.Arrays.fill(classes, null);
            classCount = 0;
            slot = (h ^ (h >>> 16)) & mask;
        }
        JsonWriter cw = classBuffer.writer();
        cw.stringField("protocol", IpText.protocolName(m.frame.protocol()));
        cw.comma();
        cw.key("type");
        if (m.typeName() != null) {
            cw.string(m.typeName());
        } else if (m.type >= 0) {
            cw.number(m.type);
        } else {
            cw.nul();
        }
        if (m.genlFamily != null) {
            cw.stringField("genl_family", m.genlFamily);
        }
        cw.stringField("event", m.event);
        cw.stringField("direction", m.direction());
        cw.stringField("kind", m.kind());
        cw.comma();
        cw.key("nlmsg_flags");
        writeFlags(cw, m);
        byte[] b = classBuffer.take();
        classes[slot] = new Class(protocol, m.type, m.flags, typeName, operation,
                m.genlFamily, m.event, kind, b);
        classCount++;
        return b;
    }

    /** header, attrs, unknown, problems, hex, derived_from: what decoding alone decides. */
    private static void body(JsonWriter w, Message m) throws IOException {
        w.key("header");
        w.tree(m.header);
        w.comma();
        w.key("attrs");
        w.tree(m.attrs);
        w.comma();
        w.key("unknown");
        w.tree(m.unknown);
        w.comma();
        w.key("problems");
        w.raw('[');
        boolean first = true;
        for (Problem p : m.problems) {
            if (!first) {
                w.comma();
            }
            first = false;
            w.raw('{');
            w.key("code");
            w.string(p.code());
            w.numberField("offset", p.offset());
            w.stringField("detail", p.detail());
            w.raw('}');
        }
        w.raw(']');
        if (m.rawHex != null) {
            w.stringField("hex", m.rawHex);
        }
        if (m.derivedFrom != null) {
            w.comma();
            w.key("derived_from");
            w.raw('[');
            for (int i = 0; i < m.derivedFrom.length; i++) {
                if (i > 0) {
                    w.comma();
                }
                if (m.derivedFrom[i] > 0) {
                    w.number(m.derivedFrom[i]);
                } else {
                    w.nul();
                }
            }
            w.raw(']');
        }
    }

    /** Messages longer than this (bytes) are not rendered ahead (a real one is a few KiB). */
    static final int PRERENDER_MAX = 64 << 10;

    private static final ThreadLocal<JsonWriter.Buffer> RENDER =
            ThreadLocal.withInitial(JsonWriter.Buffer::new);

    /**
     * Renders the part of {@code m}'s line that decoding alone decides, ahead of the sink, on the
     * calling (decoding) thread; {@link #accept} then copies it unless {@code m} changed since
     * (an enricher added names). Byte for byte what {@link #accept} would write itself.
     */
    public static void prerender(Message m) {
        if (m.length > PRERENDER_MAX) {
            // A rendering in memory would be held whole (and its buffer kept at that size);
            // accept streams it through the output's buffer instead.
            return;
        }
        JsonWriter.Buffer b = RENDER.get();
        try {
            body(b.writer(), m);
            m.rendered = b.take();
            m.renderedStamp = m.contentStamp();
        } catch (IOException | RuntimeException e) {
            // Writing to memory does not fail; if it did, accept renders the body itself.
            m.rendered = null;
            b.reset();
        }
    }

    /**
     * Flag names; the modifier bits (0x100..0x800) are named by what the message is: an ack's
     * CAPPED/ACK_TLVS, a get's ROOT/MATCH/ATOMIC, a new or set message's REPLACE/EXCL/CREATE/
     * APPEND (also on notifications, where the kernel echoes the request's flags).
     */
    private void writeFlags(JsonWriter w, Message m) throws IOException {
        EnumDef modifiers = null;
        if (m.type == 2) {
            modifiers = ackFlags;
        } else if (m.operation != null) {
            modifiers = switch (m.operation.verb()) {
                case "get" -> getFlags;
                case "new", "set" -> newFlags;
                default -> null;
            };
        }
        w.raw('[');
        long rest = m.flags;
        firstFlag = true;
        if (base != null) {
            rest = writeNames(w, base, rest);
        }
        if (modifiers != null) {
            rest = writeNames(w, modifiers, rest);
        }
        if (rest != 0) {
            if (!firstFlag) {
                w.comma();
            }
            w.string("0x" + Long.toHexString(rest));
        }
        w.raw(']');
    }

    private long writeNames(JsonWriter w, EnumDef def, long bits) throws IOException {
        long rest = bits;
        for (int i = 0, n = def.maskCount(); i < n; i++) {
            long mask = def.mask(i);
            if ((bits & mask) == mask) {
                if (!firstFlag) {
                    w.comma();
                }
                firstFlag = false;
                w.string(def.flagName(i));
                rest &= ~mask;
            }
        }
        return rest;
    }

    @Override
    public void flush() throws IOException {
        w.flush();
    }

    @Override
    public void close() throws IOException {
        w.flush();
    }
}
