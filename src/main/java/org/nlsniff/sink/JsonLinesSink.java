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

    @Override
    public void accept(Event e) throws IOException {
        Message m = e.message();
        w.raw('{');
        w.key("ts");
        w.timestamp(m.frame.tsNanos());
        w.stringField("source", m.frame.source());
        w.comma();
        w.key("frame");
        if (m.frame.number() > 0 && m.derivedFrom == null) {
            w.number(m.frame.number());
        } else {
            w.nul();
        }
        w.comma();
        w.key("nsid");
        if (m.frame.nsid() != null) {
            w.number(m.frame.nsid());
        } else {
            w.nul();
        }
        w.stringField("netns", e.netns());
        w.stringField("protocol", IpText.protocolName(m.frame.protocol()));
        w.comma();
        w.key("type");
        if (m.typeName() != null) {
            w.string(m.typeName());
        } else if (m.type >= 0) {
            w.number(m.type);
        } else {
            w.nul();
        }
        if (m.genlFamily != null) {
            w.stringField("genl_family", m.genlFamily);
        }
        w.stringField("event", m.event);
        w.stringField("direction", m.direction());
        w.stringField("kind", m.kind());
        w.comma();
        w.key("nlmsg_flags");
        writeFlags(m);
        w.numberField("nlmsg_seq", m.seq);
        w.numberField("nlmsg_pid", m.pid);
        w.comma();
        w.key("summary");
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

    private static final ThreadLocal<JsonWriter.Buffer> RENDER =
            ThreadLocal.withInitial(JsonWriter.Buffer::new);

    /**
     * Renders the part of {@code m}'s line that decoding alone decides, ahead of the sink, on the
     * calling (decoding) thread; {@link #accept} then copies it unless {@code m} changed since
     * (an enricher added names). Byte for byte what {@link #accept} would write itself.
     */
    public static void prerender(Message m) {
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
    private void writeFlags(Message m) throws IOException {
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
            rest = writeNames(base, rest);
        }
        if (modifiers != null) {
            rest = writeNames(modifiers, rest);
        }
        if (rest != 0) {
            if (!firstFlag) {
                w.comma();
            }
            w.string("0x" + Long.toHexString(rest));
        }
        w.raw(']');
    }

    private long writeNames(EnumDef def, long bits) throws IOException {
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
