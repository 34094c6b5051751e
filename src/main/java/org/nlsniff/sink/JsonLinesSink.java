package org.nlsniff.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.frame.Problem;
import org.nlsniff.spec.EnumDef;
import org.nlsniff.spec.Family;
import org.nlsniff.spec.Spec;

/**
 * JSON lines, one object per netlink message, written with Jackson's streaming generator in the
 * fixed key order of the README's contract: ts, source, frame, nsid, netns, protocol, type,
 * event, direction, kind, nlmsg_flags, nlmsg_seq, nlmsg_pid, summary, header, attrs, unknown, problems (then
 * {@code hex} when a payload had no decoder).
 */
public final class JsonLinesSink implements EventSink {
    private final JsonGenerator gen;
    private final ObjectMapper mapper = new ObjectMapper();
    private final EnumDef base;
    private final EnumDef getFlags;
    private final EnumDef newFlags;
    private final EnumDef ackFlags;

    public JsonLinesSink(OutputStream out, Spec spec) {
        JsonFactory f = new JsonFactory();
        f.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try {
            this.gen = f.createGenerator(out);
        } catch (IOException e) {
            // Creating a generator over a stream does no I/O.
            throw new java.io.UncheckedIOException(e);
        }
        gen.setCodec(mapper);
        gen.setRootValueSeparator(null);
        Family nl = spec.family("netlink");
        base = nl == null ? null : nl.enums.get("nlm-flags");
        getFlags = nl == null ? null : nl.enums.get("nlm-get-flags");
        newFlags = nl == null ? null : nl.enums.get("nlm-new-flags");
        ackFlags = nl == null ? null : nl.enums.get("nlm-ack-flags");
    }

    @Override
    public void accept(Event e) throws IOException {
        Message m = e.message();
        gen.writeStartObject();
        gen.writeStringField("ts", Timestamps.rfc3339Micros(m.frame.tsNanos()));
        gen.writeStringField("source", m.frame.source());
        if (m.frame.number() > 0 && m.derivedFrom == null) {
            gen.writeNumberField("frame", m.frame.number());
        } else {
            gen.writeNullField("frame");
        }
        if (m.frame.nsid() != null) {
            gen.writeNumberField("nsid", m.frame.nsid());
        } else {
            gen.writeNullField("nsid");
        }
        if (e.netns() != null) {
            gen.writeStringField("netns", e.netns());
        } else {
            gen.writeNullField("netns");
        }
        gen.writeStringField("protocol", IpText.protocolName(m.frame.protocol()));
        if (m.typeName() != null) {
            gen.writeStringField("type", m.typeName());
        } else if (m.type >= 0) {
            gen.writeNumberField("type", m.type);
        } else {
            gen.writeNullField("type");
        }
        if (m.genlFamily != null) {
            gen.writeStringField("genl_family", m.genlFamily);
        }
        gen.writeStringField("event", m.event);
        gen.writeStringField("direction", m.direction());
        gen.writeStringField("kind", m.kind());
        gen.writeFieldName("nlmsg_flags");
        writeFlags(m);
        gen.writeNumberField("nlmsg_seq", m.seq);
        gen.writeNumberField("nlmsg_pid", m.pid);
        gen.writeStringField("summary", e.summary());
        gen.writeFieldName("header");
        gen.writeTree(m.header);
        gen.writeFieldName("attrs");
        gen.writeTree(m.attrs);
        gen.writeFieldName("unknown");
        gen.writeTree(m.unknown);
        gen.writeArrayFieldStart("problems");
        for (Problem p : m.problems) {
            gen.writeStartObject();
            gen.writeStringField("code", p.code());
            gen.writeNumberField("offset", p.offset());
            gen.writeStringField("detail", p.detail());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        if (m.rawHex != null) {
            gen.writeStringField("hex", m.rawHex);
        }
        if (m.derivedFrom != null) {
            gen.writeArrayFieldStart("derived_from");
            for (long n : m.derivedFrom) {
                if (n > 0) {
                    gen.writeNumber(n);
                } else {
                    gen.writeNull();
                }
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    /** Flag names; the modifier bits (0x100..0x800) are named by what the message is. */
    private void writeFlags(Message m) throws IOException {
        EnumDef modifiers = null;
        if (m.type == 2) {
            modifiers = ackFlags;
        } else if (m.isRequest() && m.operation != null) {
            modifiers = switch (m.operation.verb()) {
                case "get" -> getFlags;
                case "new", "set" -> newFlags;
                default -> null;
            };
        }
        gen.writeStartArray();
        long rest = m.flags;
        if (base != null) {
            rest = writeNames(base, rest);
        }
        if (modifiers != null) {
            rest = writeNames(modifiers, rest);
        }
        if (rest != 0) {
            gen.writeString("0x" + Long.toHexString(rest));
        }
        gen.writeEndArray();
    }

    private long writeNames(EnumDef def, long bits) throws IOException {
        var names = SpecDecoder.flagNames(def, bits);
        long rest = bits;
        for (var n : names) {
            String s = n.asText();
            if (s.startsWith("0x")) {
                continue;
            }
            gen.writeString(s);
        }
        for (var en : def.entries().keySet()) {
            if ((bits & en) == en) {
                rest &= ~en;
            }
        }
        return rest;
    }

    @Override
    public void flush() throws IOException {
        gen.flush();
    }

    @Override
    public void close() throws IOException {
        gen.flush();
    }
}
