package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.Consumer;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.Problem;
import org.nlsniff.spec.Attr;
import org.nlsniff.spec.AttrSet;
import org.nlsniff.spec.EnumDef;
import org.nlsniff.spec.Field;
import org.nlsniff.spec.Operation;
import org.nlsniff.spec.ScalarType;
import org.nlsniff.spec.Spec;
import org.nlsniff.spec.StructDef;
import org.nlsniff.spec.SubMessage;

/**
 * The generic, table-driven netlink decoder: splits a datagram into messages, picks each
 * message's operation from the specs by (protocol, type), decodes the fixed header and walks the
 * attribute sets; Java decoders from {@link Decoders} take over where the specs say so.
 *
 * <p>Never throws on bad bytes: every length is checked against the window of its parent,
 * every walk advances by at least one aligned header, and damage becomes a {@link Problem} on the
 * message. Thread-safe once constructed (no mutable state).
 */
public final class SpecDecoder {
    /** Nesting deeper than this is reported instead of followed (nesting bombs). */
    static final int MAX_DEPTH = 32;
    /**
     * Attributes and entries (of indexed and struct arrays, next hops) decoded at most in one
     * message, the requests it echoes included; the bytes past them are kept as hex in a
     * {@code too-many-entries} problem. A real message holds a few hundred; 65,536 covers any
     * message of 256 KiB, while a crafted 10 MiB message of 8-byte attributes cost 600 MB of
     * decoded objects before this bound.
     */
    static final int MAX_ENTRIES = 65_536;
    private static final int NLMSG_HDRLEN = 16;

    private final Spec spec;
    private final Decoders decoders;
    /**
     * Structs of plain numbers: decoded lazily ({@link PendingStruct}). Read-only once built, so
     * shared by decoding threads.
     */
    private final java.util.Map<StructDef, PendingStruct.Layout> plainStructs =
            new java.util.IdentityHashMap<>();

    public SpecDecoder(Spec spec, Decoders decoders) {
        this.spec = spec;
        this.decoders = decoders;
        for (org.nlsniff.spec.Family f : spec.families().values()) {
            for (StructDef s : f.structs.values()) {
                if (PendingStruct.eligible(s)) {
                    plainStructs.put(s, new PendingStruct.Layout(s));
                }
            }
        }
    }

    /**
     * A struct in {@code [start, end)}: pending when it is plain numbers and the window holds all
     * of it (the members are read when someone asks, or written straight from the bytes; bytes
     * after it become {@code _extra} as {@link #struct} makes it), else decoded now.
     */
    private ObjectNode structNode(DecodeContext ctx, StructDef s, int start, int end) {
        PendingStruct.Layout plain;
        if (end - start >= s.size() && (plain = plainStructs.get(s)) != null) {
            return Message.JSON.pendingStruct(new PendingStruct(ctx.buffer(), start,
                    end - start, plain, ctx.order()), s.members().size() + 1);
        }
        ObjectNode o = Message.JSON.objectNode(s.members().size());
        struct(ctx, s, start, end, o);
        return o;
    }

    public Spec spec() {
        return spec;
    }

    /** Decodes every message of a frame, in order. */
    public List<Message> decode(Frame frame) {
        List<Message> out = new ArrayList<>(1);
        decode(frame, out::add);
        return out;
    }

    /**
     * Decodes the messages of a frame one at a time, handing each to {@code sink} as soon as it
     * is decoded, so that a datagram of a million messages never holds them all at once.
     */
    public void decode(Frame frame, Consumer<Message> sink) {
        ByteBuffer buf = ByteBuffer.wrap(frame.data()).order(frame.order());
        int end = frame.data().length;
        if (frame.kind() == Frame.Kind.OVERRUN) {
            Message m = new Message(frame, 0, 0, 0, -1, 0, 0, 0, null);
            m.event = "overrun";
            sink.accept(m);
            return;
        }
        if (frame.problem() != null && frame.protocol() < 0) {
            Message m = new Message(frame, 0, 0, end, -1, 0, 0, 0, null);
            m.event = "malformed";
            m.problems.add(frame.problem());
            m.rawHex = Bytes.hex(buf, 0, end);
            sink.accept(m);
            return;
        }
        // A framing problem with a readable protocol (a cooked header of another ARPHRD type):
        // the bytes are still decoded, and the first event carries the problem.
        Problem framing = frame.problem();
        int off = 0;
        int index = 0;
        int emitted = 0;
        while (off < end) {
            int left = end - off;
            Message m;
            boolean last = false;
            if (left < NLMSG_HDRLEN || buf.getInt(off) == 0) {
                // Trailing zeros (iproute2 pads dump requests) are ignored like the kernel does.
                if (allZero(buf, off, end)) {
                    break;
                }
                m = malformed(frame, buf, index, off, end, left < NLMSG_HDRLEN
                        ? new Problem("trailing-bytes", off, left
                                + " bytes after the last message, fewer than a 16-byte nlmsghdr")
                        : new Problem("message-length-too-small", off,
                                "nlmsg_len 0 followed by non-zero bytes"));
                last = true;
            } else {
                long len = buf.getInt(off) & 0xffffffffL;
                if (len < NLMSG_HDRLEN) {
                    m = malformed(frame, buf, index, off, end, new Problem(
                            "message-length-too-small", off, "nlmsg_len " + len + " is below 16"));
                    last = true;
                } else if (len > left) {
                    m = decodeMessage(frame, buf, index++, off, end);
                    m.problems.add(0, new Problem("message-overruns-datagram", off, "nlmsg_len "
                            + len + " runs past the datagram (" + left + " bytes left)"));
                    last = true;
                } else {
                    m = decodeMessage(frame, buf, index++, off, off + (int) len);
                    off += Bytes.align4((int) len);
                }
            }
            if (emitted++ == 0 && framing != null) {
                m.problems.add(0, framing);
            }
            sink.accept(m);
            if (last) {
                break;
            }
        }
        if (emitted == 0 && frame.kind() == Frame.Kind.DATA) {
            // Nothing readable at all (no bytes, or only zeros): still one event, so that no
            // frame goes by unreported.
            sink.accept(malformed(frame, buf, 0, 0, end, framing != null ? framing
                    : new Problem("empty-datagram", 0, end == 0 ? "the datagram holds no bytes"
                            : "the datagram holds only " + end + " zero bytes")));
        }
    }

    /** The text of {@code b} if it is valid UTF-8, else null (ASCII takes the fast path). */
    private static String utf8(byte[] b) {
        boolean ascii = true;
        for (byte x : b) {
            if (x < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** Whether {@code buf[start, end)} is all zero bytes (padding). */
    static boolean allZero(ByteBuffer buf, int start, int end) {
        for (int i = start; i < end; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private Message malformed(Frame frame, ByteBuffer buf, int index, int off, int end, Problem p) {
        Message m = new Message(frame, index, off, end - off, -1, 0, 0, 0, null);
        m.event = "malformed";
        m.problems.add(p);
        m.rawHex = Bytes.hex(buf, off, end);
        return m;
    }

    /**
     * One message of a datagram. A decoder that throws all the same (a plugin's, or a bug of
     * ours) costs only this message's decoding: it is reported on the message, whose payload is
     * kept as hex, and the datagram goes on.
     */
    Message decodeMessage(Frame frame, ByteBuffer buf, int index, int off, int end) {
        try {
            return decodeMessage(frame, buf, index, off, end, 1);
        } catch (RuntimeException | StackOverflowError e) {
            Message m = new Message(frame, index, off, end - off, buf.getShort(off + 4) & 0xffff,
                    buf.getShort(off + 6) & 0xffff, buf.getInt(off + 8) & 0xffffffffL,
                    buf.getInt(off + 12) & 0xffffffffL,
                    spec.operation(frame.protocol(), buf.getShort(off + 4) & 0xffff));
            m.event = eventName(m);
            m.problems.add(new Problem("decoder-failed", off, "decoding this message failed ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()) + "); its payload is kept as hex"));
            m.rawHex = Bytes.hex(buf, off + NLMSG_HDRLEN, end);
            return m;
        }
    }

    /** {@code depth} > 1 for messages embedded in others (the request an NLMSG_ERROR echoes). */
    Message decodeMessage(Frame frame, ByteBuffer buf, int index, int off, int end, int depth) {
        return decodeMessage(frame, buf, index, off, end, depth, new int[] {MAX_ENTRIES});
    }

    /** {@code budget[0]}: entries the message may still decode, shared with those it embeds. */
    Message decodeMessage(Frame frame, ByteBuffer buf, int index, int off, int end, int depth,
            int[] budget) {
        int type = buf.getShort(off + 4) & 0xffff;
        int flags = buf.getShort(off + 6) & 0xffff;
        long seq = buf.getInt(off + 8) & 0xffffffffL;
        long pid = buf.getInt(off + 12) & 0xffffffffL;
        Operation op = spec.operation(frame.protocol(), type);
        Message m = new Message(frame, index, off, end - off, type, flags, seq, pid, op);
        DecodeContext ctx = new DecodeContext(this, buf, m, budget);
        ctx.depth = depth;
        int start = off + NLMSG_HDRLEN;
        m.event = eventName(m);
        if (depth > MAX_DEPTH) {
            ctx.problem("nesting-too-deep", off, "messages embedded deeper than " + MAX_DEPTH
                    + " levels; kept as hex");
            m.rawHex = Bytes.hex(buf, start, end);
            return m;
        }
        MessageDecoder special = decoders.message(frame.protocol(), type);
        if (special != null) {
            special.decode(ctx, m, start, end);
            return m;
        }
        if (op == null) {
            MessageDecoder fallback = decoders.fallback(frame.protocol());
            if (fallback != null && type >= 16) {
                fallback.decode(ctx, m, start, end);
            } else {
                m.rawHex = Bytes.hex(buf, start, end);
            }
            return m;
        }
        int attrStart = start;
        if (op.fixedHeader() != null) {
            StructDef h = op.fixedHeader();
            if (end - start < h.size()) {
                m.problems.add(new Problem("header-truncated", start, op.constant() + " needs a "
                        + h.size() + "-byte " + h.name() + ", only " + (end - start) + " bytes"));
            }
            struct(ctx, h, start, Math.min(end, start + h.size()), m.header);
            attrStart = start + Bytes.align4(h.size());
        }
        if (op.attributeSet() != null && attrStart < end) {
            walk(ctx, op.attributeSet(), attrStart, end, m.attrs, "", 1);
        } else if (op.attributeSet() == null && attrStart < end) {
            m.rawHex = Bytes.hex(buf, attrStart, end);
        }
        return m;
    }

    /** {@code link.new}, {@code error}/{@code ack}, ... from the operation or control type. */
    private static String eventName(Message m) {
        if (m.operation == null) {
            return m.type < 16 ? "control" : m.frame.protocol() != 0 ? "message" : "unknown";
        }
        return m.operation.event();
    }

    /** Decodes the members of a struct that fit in {@code [start, end)} into {@code out}. */
    void struct(DecodeContext ctx, StructDef s, int start, int end, ObjectNode out) {
        ByteBuffer buf = ctx.buffer();
        int pos = start;
        DecodedObject fresh = out instanceof DecodedObject d && d.entryCount() == 0 ? d : null;
        for (Field f : s.members()) {
            int w = StructDef.width(f);
            if (pos + w > end) {
                // A shorter struct is an older kernel's version of it: decode what is there,
                // and keep the bytes of a member cut short.
                if (pos < end) {
                    out.put("_extra", Bytes.hex(buf, pos, end));
                }
                return;
            }
            if (f.type != ScalarType.PAD) {
                JsonNode v = f.type == ScalarType.BINARY ? binary(ctx, f, pos, pos + w)
                        : integer(buf, f, pos, w, ctx);
                if (fresh != null) {
                    fresh.append(f.key, f.jsonKey, v); // member names are distinct (the spec lint)
                } else {
                    out.set(f.key, v);
                }
            }
            pos += w;
        }
        if (pos < end && s.size() > 0 && end - start > s.size()) {
            // Only for structs inside attributes: the caller passes the attribute's window.
            out.put("_extra", Bytes.hex(buf, pos, end));
        }
    }

    private static JsonNode integer(ByteBuffer buf, Field f, int pos, int width, DecodeContext ctx) {
        return integer(buf, f, pos, width, f.bigEndian ? java.nio.ByteOrder.BIG_ENDIAN : ctx.order());
    }

    private static JsonNode integer(ByteBuffer buf, Field f, int pos, int width,
            java.nio.ByteOrder order) {
        long v = Bytes.integer(buf, pos, width, f.type.signed, order);
        EnumDef e = f.enumDef;
        if (e != null) {
            if (f.enumAsFlags || e.flags()) {
                return flagNames(e, v);
            }
            int i = e.indexOf(v);
            if (i >= 0) {
                return EnumNodes.of(e).name(i);
            }
        }
        if (!f.type.signed && width == 8 && v < 0) {
            return Message.JSON.numberNode(new java.math.BigInteger(Long.toUnsignedString(v)));
        }
        return Message.JSON.numberNode(v);
    }

    /** Names of the set bits, upper case with {@code _}; unknown bits as one {@code 0x..}. */
    public static ArrayNode flagNames(EnumDef e, long v) {
        // Room for a name per set bit: all there are unless masks overlap (it grows then).
        ArrayNode arr = new ArrayNode(Message.JSON, Long.bitCount(v));
        long rest = v;
        EnumNodes nodes = null;
        for (int i = 0, n = e.maskCount(); i < n; i++) {
            long mask = e.mask(i);
            if ((v & mask) == mask) {
                if (nodes == null) {
                    nodes = EnumNodes.of(e);
                }
                arr.add(nodes.flagName(i));
                rest &= ~mask;
            }
        }
        if (rest != 0) {
            arr.add("0x" + Long.toHexString(rest));
        }
        return arr;
    }

    private JsonNode binary(DecodeContext ctx, Field f, int start, int end) {
        ByteBuffer buf = ctx.buffer();
        if (f instanceof Attr a && a.structArray && f.struct.size() > 0) {
            ArrayNode arr = Message.JSON.arrayNode();
            int size = f.struct.size();
            for (int pos = start; pos + size <= end; pos += size) {
                if (!ctx.spend()) {
                    tooMany(ctx, pos, end, f.key);
                    return arr;
                }
                arr.add(structNode(ctx, f.struct, pos, pos + size));
            }
            if ((end - start) % size != 0) {
                ctx.problem("trailing-bytes", end - (end - start) % size, (end - start) % size
                        + " bytes after the last " + f.struct.name() + " of " + f.key);
            }
            return arr;
        }
        if (f.struct != null) {
            return structNode(ctx, f.struct, start, end);
        }
        String hint = f.displayHint == null ? "" : f.displayHint;
        return new PlainText(switch (hint) {
            case "mac" -> Bytes.mac(buf, start, end);
            case "ipv4", "ipv6", "ip" -> Bytes.ip(buf, start, end);
            default -> Bytes.hex(buf, start, end);
        });
    }

    /**
     * Walks the attributes of {@code set} within {@code [start, end)} into {@code out}.
     * {@code path} names the enclosing attributes for unknown entries and problems.
     */
    /**
     * The attributes between {@code start} and {@code end}, found by their lengths alone (at
     * most 4096): the room an object needs for them, so it does not grow 8 -> 32 -> 64 entries
     * for a link message (measured: the copies were 0.9 of the 10.7 GB a 2-million-message run
     * allocated).
     */
    private static int countAttributes(ByteBuffer buf, int start, int end) {
        int n = 0;
        for (int pos = start; end - pos >= 4 && n < 4096; n++) {
            int alen = buf.getShort(pos) & 0xffff;
            if (alen < 4) {
                break;
            }
            pos += (alen + 3) & ~3;
        }
        return n;
    }

    void walk(DecodeContext ctx, AttrSet set, int start, int end, ObjectNode out, String path,
            int depth) {
        ByteBuffer buf = ctx.buffer();
        if (depth > MAX_DEPTH) {
            ctx.problem("nesting-too-deep", start, "attributes nested deeper than " + MAX_DEPTH
                    + " levels at " + path + "; kept as hex");
            out.put("_hex", Bytes.hex(buf, start, end));
            return;
        }
        int pos = start;
        Set<String> repeated = null; // allocated on the first repeat only
        // Into an empty object, an attribute seen for the first time is appended without a
        // search (a link message has some 50); repeats go the way of put.
        DecodedObject fresh = set.distinctKeys() && out instanceof DecodedObject d
                && d.entryCount() == 0 ? d : null;
        if (fresh != null) {
            fresh.expect(countAttributes(buf, start, end));
        }
        long seen0 = 0;
        long[] seen = fresh != null && set.maxType() >= 64 ? new long[(set.maxType() >>> 6) + 1]
                : null;
        while (end - pos >= 4) {
            if (!ctx.spend()) {
                tooMany(ctx, pos, end, path);
                return;
            }
            int alen = buf.getShort(pos) & 0xffff;
            int rawType = buf.getShort(pos + 2) & 0xffff;
            if (alen < 4) {
                ctx.problem("attr-length-too-small", pos, "attribute type " + (rawType & 0x3fff)
                        + where(path) + " has length " + alen + ", below 4" + rest(buf, pos, end));
                return;
            }
            if (alen > end - pos) {
                ctx.problem("attr-overruns-parent", pos, "attribute type " + (rawType & 0x3fff)
                        + where(path) + " has length " + alen + " but only " + (end - pos)
                        + " bytes remain" + rest(buf, pos, end));
                return;
            }
            Attr a = set.byType(rawType & 0x3fff);
            if (a == null) {
                unknown(ctx, rawType, pos + 4, pos + alen, path);
            } else {
                JsonNode v = value(ctx, a, pos + 4, pos + alen, out, path, depth);
                if (v == null) {
                    unknown(ctx, rawType, pos + 4, pos + alen, here(path, a));
                } else if (fresh != null && firstTime(a.value, seen0, seen)) {
                    if (a.value < 64) {
                        seen0 |= 1L << a.value;
                    } else {
                        seen[a.value >>> 6] |= 1L << (a.value & 63);
                    }
                    if (a.multi) {
                        ArrayNode arr = Message.JSON.arrayNode();
                        arr.add(v);
                        fresh.append(a.key, a.jsonKey, arr);
                    } else {
                        fresh.append(a.key, a.jsonKey, v);
                    }
                } else {
                    repeated = put(out, a, v, repeated);
                }
            }
            pos += Bytes.align4(alen);
        }
        if (repeated != null) {
            ctx.message().repeats = true;
        }
        if (pos < end && !allZero(buf, pos, end)) {
            ctx.problem("trailing-bytes", pos, (end - pos) + " bytes after the last attribute"
                    + where(path) + ": " + Bytes.hex(buf, pos, end));
        }
    }

    private static boolean firstTime(int type, long seen0, long[] seen) {
        return type < 64 ? (seen0 & (1L << type)) == 0
                : (seen[type >>> 6] & (1L << (type & 63))) == 0;
    }

    /** The budget of entries is spent: the bytes {@code [pos, end)} go into a problem as hex. */
    static void tooMany(DecodeContext ctx, int pos, int end, String path) {
        ctx.problem("too-many-entries", pos, "more than " + MAX_ENTRIES + " attributes and "
                + "entries in one message; the " + (end - pos) + " bytes from here" + where(path)
                + " are not decoded: " + Bytes.hex(ctx.buffer(), pos, end));
    }

    /** The bytes a walk had to stop before, so that a problem keeps them: {@code ; the rest: HEX}. */
    private static String rest(ByteBuffer buf, int from, int end) {
        return from < end ? "; the rest of the set: " + Bytes.hex(buf, from, end) : "";
    }

    /** The dotted path of attribute {@code a} under {@code path} ({@code linkinfo.data}). */
    private static String here(String path, Attr a) {
        return a.pathUnder(path);
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : " in " + path;
    }

    /**
     * Stores a value; a repeated attribute becomes an array. {@code repeated} remembers which
     * keys already hold such an array, since a value may itself be an array (flag names).
     */
    private static Set<String> put(ObjectNode out, Attr a, JsonNode v, Set<String> repeated) {
        JsonNode prev = out.get(a.key);
        if (prev == null) {
            if (a.multi) {
                out.putArray(a.key).add(v);
            } else {
                out.set(a.key, v);
            }
        } else if (a.multi || repeated != null && repeated.contains(a.key)) {
            ((ArrayNode) prev).add(v);
        } else {
            // A repeated attribute the spec does not mark multi-attr: keep every copy.
            ArrayNode arr = new RepeatedValues();
            arr.add(prev);
            arr.add(v);
            out.set(a.key, arr);
            if (repeated == null) {
                repeated = new HashSet<>(2);
            }
            repeated.add(a.key);
        }
        return repeated;
    }

    /** The JSON value of one attribute payload, or null when it must go to {@code unknown}. */
    private JsonNode value(DecodeContext ctx, Attr a, int start, int end, ObjectNode siblings,
            String path, int depth) {
        ByteBuffer buf = ctx.buffer();
        int len = end - start;
        // The attribute's own type field, just before its payload: its flag bits.
        int flagBits = buf.getShort(start - 2) & (NLA_F_NESTED | NLA_F_NET_BYTEORDER);
        boolean netOrder = flagBits != 0 && a.decoderName == null
                && attributeFlags(ctx, a, flagBits, start, end, path);
        if ((flagBits & NLA_F_NET_BYTEORDER) != 0 && a.decoderName != null) {
            ctx.problem("attr-flag-unexpected", start - 4, here(path, a) + " carries "
                    + "NLA_F_NET_BYTEORDER; its Java decoder reads it as the kernel sends it");
        }
        if (a.decoderName != null) {
            int saved = ctx.depth;
            ctx.depth = depth;
            try {
                return decoders.attribute(a.decoderName).decode(ctx, start, end);
            } finally {
                ctx.depth = saved;
            }
        }
        switch (a.type) {
            case U8, U16, U32, U64, S8, S16, S32, S64 -> {
                if (len != a.type.width) {
                    ctx.problem("attr-size-mismatch", start - 4, here(path, a) + " (" + a.type.name()
                            .toLowerCase(java.util.Locale.ROOT) + ") has " + len + " bytes, expected "
                            + a.type.width + "; kept in unknown");
                    return null;
                }
                return netOrder ? integer(buf, a, start, len, java.nio.ByteOrder.BIG_ENDIAN)
                        : integer(buf, a, start, len, ctx);
            }
            case UINT, SINT -> {
                if (len != 4 && len != 8) {
                    ctx.problem("attr-size-mismatch", start - 4, here(path, a) + " has " + len
                            + " bytes, expected 4 or 8; kept in unknown");
                    return null;
                }
                return netOrder ? integer(buf, a, start, len, java.nio.ByteOrder.BIG_ENDIAN)
                        : integer(buf, a, start, len, ctx);
            }
            case STRING -> {
                int n = start;
                while (n < end && buf.get(n) != 0) {
                    n++;
                }
                byte[] b = new byte[n - start];
                buf.get(start, b);
                if (n + 1 < end && !allZero(buf, n + 1, end)) {
                    ctx.problem("string-bytes-after-nul", start - 4, here(path, a)
                            + " has bytes after its NUL: " + Bytes.hex(buf, n + 1, end));
                }
                String text = utf8(b);
                if (text == null) {
                    ctx.problem("string-not-utf8", start - 4, here(path, a)
                            + " is not UTF-8 (shown with U+FFFD): " + Bytes.hex(buf, start, n));
                    text = new String(b, StandardCharsets.UTF_8);
                }
                return Message.JSON.textNode(text);
            }
            case FLAG -> {
                if (len > 0) {
                    ctx.problem("flag-with-payload", start - 4, here(path, a)
                            + " is a flag but carries " + len + " bytes: " + Bytes.hex(buf, start, end));
                }
                return Message.JSON.booleanNode(true);
            }
            case BINARY -> {
                return binary(ctx, a, start, end);
            }
            case NEST -> {
                ObjectNode o = Message.JSON.objectNode();
                int inner = start;
                if (a.fixedHeader != null) {
                    ObjectNode h = o.putObject("header");
                    if (len < a.fixedHeader.size()) {
                        ctx.problem("header-truncated", start - 4, here(path, a) + " needs a "
                                + a.fixedHeader.size() + "-byte " + a.fixedHeader.name() + ", only "
                                + len + " bytes");
                    }
                    struct(ctx, a.fixedHeader, start, Math.min(end, start + a.fixedHeader.size()), h);
                    inner = Math.min(end, start + Bytes.align4(a.fixedHeader.size()));
                }
                walk(ctx, a.nested, inner, end, o, here(path, a), depth + 1);
                return o;
            }
            case INDEXED_ARRAY -> {
                // A nest of nests whose types are just indexes 1..n (CTRL_ATTR_OPS): an array.
                ArrayNode arr = Message.JSON.arrayNode();
                String here = here(path, a);
                int pos = start;
                while (end - pos >= 4) {
                    if (!ctx.spend()) {
                        tooMany(ctx, pos, end, here);
                        return arr;
                    }
                    int alen = buf.getShort(pos) & 0xffff;
                    if (alen < 4 || alen > end - pos) {
                        ctx.problem(alen < 4 ? "attr-length-too-small" : "attr-overruns-parent", pos,
                                "entry of " + here + " has length " + alen + rest(buf, pos, end));
                        return arr;
                    }
                    ObjectNode o = arr.addObject();
                    walk(ctx, a.nested, pos + 4, pos + alen, o, here, depth + 1);
                    pos += Bytes.align4(alen);
                }
                if (pos < end && !allZero(buf, pos, end)) {
                    ctx.problem("trailing-bytes", pos, (end - pos) + " bytes after the last entry of "
                            + here + ": " + Bytes.hex(buf, pos, end));
                }
                return arr;
            }
            case SUB_MESSAGE -> {
                // "@field" selects by a field of the message's fixed header (ifi_family picks
                // the IFLA_AF_SPEC layout); otherwise by a sibling attribute (IFLA_INFO_KIND).
                // A repeated selector (two IFLA_INFO_KIND) counts by its last copy so far, as
                // iproute2's parse_rtattr() keeps the last one.
                JsonNode sel = RepeatedValues.last(a.selector.startsWith("@")
                        ? ctx.message().header.get(a.selector.substring(1).replace('-', '_'))
                        : siblings.get(a.selector.replace('-', '_')));
                SubMessage.Format fm = sel == null ? null : a.subMessage.formats().get(sel.asText());
                if (fm == null) {
                    // A kind without a spec (yet): keep the bytes as an unknown entry.
                    return null;
                }
                ObjectNode o = Message.JSON.objectNode();
                int inner = start;
                if (fm.fixedHeader != null) {
                    struct(ctx, fm.fixedHeader, start, Math.min(end, start + fm.fixedHeader.size()),
                            o.putObject("header"));
                    inner = Math.min(end, start + Bytes.align4(fm.fixedHeader.size()));
                }
                if (fm.attributeSet != null) {
                    walk(ctx, fm.attributeSet, inner, end, o, here(path, a), depth + 1);
                } else if (inner < end) {
                    o.put("_hex", Bytes.hex(buf, inner, end));
                }
                return o;
            }
            default -> {
                return null;
            }
        }
    }

    private static final int NLA_F_NESTED = 0x8000;
    private static final int NLA_F_NET_BYTEORDER = 0x4000;

    /**
     * The flag bits of a known attribute (include/uapi/linux/netlink.h): NLA_F_NESTED on a nest
     * is expected (the spec, not the bit, says what nests: the kernel sets it on some nests
     * only). NLA_F_NET_BYTEORDER on an integer means big-endian and is honoured, as Wireshark
     * does; when the spec says host order (the kernel's nla_get_u32() would ignore the bit) it is
     * also a problem that gives the host-order reading. Any other bit is a problem, so that no
     * flag of a known attribute goes unseen. Returns whether to read the integer big-endian.
     */
    private static boolean attributeFlags(DecodeContext ctx, Attr a, int bits, int start, int end,
            String path) {
        ScalarType t = a.type;
        boolean nest = t == ScalarType.NEST || t == ScalarType.INDEXED_ARRAY
                || t == ScalarType.SUB_MESSAGE;
        String what = t.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if ((bits & NLA_F_NESTED) != 0 && !nest) {
            ctx.problem("attr-flag-unexpected", start - 4, here(path, a) + " (" + what
                    + ") carries NLA_F_NESTED; decoded as its spec says");
        }
        if ((bits & NLA_F_NET_BYTEORDER) == 0) {
            return false;
        }
        if (!t.isInteger()) {
            ctx.problem("attr-flag-unexpected", start - 4, here(path, a) + " (" + what
                    + ") carries NLA_F_NET_BYTEORDER, which no " + what + " has");
            return false;
        }
        int len = end - start;
        boolean sized = t.width > 0 ? len == t.width : len == 4 || len == 8;
        if (sized && len > 1 && !a.bigEndian && ctx.order() != java.nio.ByteOrder.BIG_ENDIAN) {
            long host = Bytes.integer(ctx.buffer(), start, len, t.signed, ctx.order());
            ctx.problem("attr-flag-unexpected", start - 4, here(path, a) + " (" + what
                    + ") carries NLA_F_NET_BYTEORDER: read big-endian as the flag says; in host"
                    + " order, as its spec has it, it would be "
                    + (!t.signed && len == 8 ? Long.toUnsignedString(host) : Long.toString(host)));
        }
        return true;
    }

    void unknown(DecodeContext ctx, int rawType, int start, int end, String path) {
        ObjectNode u = ctx.unknownList().addObject();
        u.put("type", rawType & 0x3fff);
        u.put("nested", (rawType & 0x8000) != 0);
        u.put("net_byteorder", (rawType & 0x4000) != 0);
        u.put("hex", Bytes.hex(ctx.buffer(), start, end));
        if (!path.isEmpty()) {
            u.put("path", path);
        }
        u.put("offset", start - 4);
    }
}
