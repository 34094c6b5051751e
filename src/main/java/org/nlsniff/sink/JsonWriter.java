package org.nlsniff.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.nlsniff.decode.DecodedObject;
import org.nlsniff.decode.PendingStruct;
import org.nlsniff.decode.PlainText;

/**
 * A minimal UTF-8 JSON writer for the JSON-lines sink: the same bytes as Jackson's generator
 * with default settings (compact, {@code \b \t \n \f \r} and {@code \\u00XX} escapes for control
 * characters, everything else UTF-8), but with object keys encoded once and cached, numbers
 * written digit by digit, and no state machine per token. The caller places the commas
 * ({@link #comma}); the tree writer places its own.
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    /** Keys come from the specs and from code, so the cache stays small; a bound anyway. */
    private static final int MAX_CACHED_KEYS = 8192;

    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private final String[] cacheKeys;
    private final byte[][] cacheBytes;
    private int cached;
    private long tsSecond;
    /** Per plain struct layout (a handful of structs): keys, last rendering. */
    private final java.util.Map<PendingStruct.Layout, StructOut> structs =
            new java.util.IdentityHashMap<>();
    private PendingStruct.Layout lastLayout;
    private StructOut lastStruct;
    /** Times the buffer went out: a rendering that spans one is not in the buffer whole. */
    private long flushes;
    private byte[] tsPrefix;

    JsonWriter(OutputStream out) {
        this.out = out;
        this.buf = new byte[1 << 16];
        this.cacheKeys = new String[1 << 14];
        this.cacheBytes = new byte[1 << 14][];
    }

    /** A writer of one key into memory: no cache, a buffer just large enough. */
    private JsonWriter(String key) {
        this.out = null;
        this.buf = new byte[8 * key.length() + 8];
        this.cacheKeys = null;
        this.cacheBytes = null;
    }

    /** A writer into memory whose output is taken as a byte array, then reused. */
    static final class Buffer {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        private final JsonWriter writer = new JsonWriter(bytes);

        JsonWriter writer() {
            return writer;
        }

        /** What was written since the last take or reset. */
        byte[] take() throws IOException {
            if (bytes.size() == 0) {
                byte[] b = java.util.Arrays.copyOf(writer.buf, writer.pos);
                writer.pos = 0;
                return b;
            }
            writer.flushBuffer();
            byte[] b = bytes.toByteArray();
            bytes.reset();
            return b;
        }

        void reset() {
            writer.pos = 0;
            bytes.reset();
        }
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        flushes++;
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    void raw(char c) throws IOException {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    void comma() throws IOException {
        raw(',');
    }

    /** {@code ,"key":"value"} (or null). */
    void stringField(String key, String value) throws IOException {
        comma();
        key(key);
        string(value);
    }

    /** {@code ,"key":N}. */
    void numberField(String key, long value) throws IOException {
        comma();
        key(key);
        number(value);
    }

    /** {@code "key":}, escaped once per distinct key. */
    void key(String k) throws IOException {
        int h = k.hashCode();
        int mask = cacheKeys.length - 1;
        for (int i = h & mask, probes = 0; probes < 8; i = (i + 1) & mask, probes++) {
            String c = cacheKeys[i];
            if (c == null) {
                if (k.length() > 1024 || cached >= MAX_CACHED_KEYS) {
                    break;
                }
                byte[] b = encodeKey(k);
                cacheKeys[i] = k;
                cacheBytes[i] = b;
                cached++;
                bytes(b);
                return;
            }
            if (c == k || c.equals(k)) {
                bytes(cacheBytes[i]);
                return;
            }
        }
        string(k);
        raw(':');
    }

    private static byte[] encodeKey(String k) throws IOException {
        JsonWriter enc = new JsonWriter(k);
        enc.string(k);
        enc.raw(':');
        return java.util.Arrays.copyOf(enc.buf, enc.pos);
    }

    /** Bytes written as they are (a rendering made by a {@link Buffer}). */
    void bytes(byte[] b) throws IOException {
        if (b.length > buf.length) {
            flushBuffer();
            out.write(b);
            return;
        }
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    void nul() throws IOException {
        bytes(NULL);
    }

    void bool(boolean v) throws IOException {
        bytes(v ? TRUE : FALSE);
    }

    void number(long v) throws IOException {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            bytes("-9223372036854775808".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        int digits = 2;
        for (long t = 100; digits < 19 && v >= t; t *= 10) {
            digits++;
        }
        int end = pos + digits;
        int i = end;
        // Two digits per division.
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            buf[--i] = (byte) ('0' + r % 10);
            buf[--i] = (byte) ('0' + r / 10);
        }
        if (v >= 10) {
            buf[--i] = (byte) ('0' + v % 10);
            buf[--i] = (byte) ('0' + v / 10);
        } else {
            buf[--i] = (byte) ('0' + v);
        }
        pos = end;
    }

    /**
     * {@code "2026-12-03T18:23:56.055428Z"}, as {@link Timestamps#rfc3339Micros} gives it: the
     * part up to the second is made once per second, the microseconds written as digits.
     */
    void timestamp(long epochNanos) throws IOException {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        if (second <= Long.MIN_VALUE / 1_000_000_000L) {
            // The first second of the range: its start is not a long of nanoseconds.
            string(Timestamps.rfc3339Micros(epochNanos));
            return;
        }
        if (second != tsSecond || tsPrefix == null) {
            String full = Timestamps.rfc3339Micros(second * 1_000_000_000L);
            tsPrefix = full.substring(0, full.length() - 7).getBytes(StandardCharsets.US_ASCII);
            tsSecond = second;
        }
        ensure(tsPrefix.length + 10);
        buf[pos++] = '"';
        System.arraycopy(tsPrefix, 0, buf, pos, tsPrefix.length);
        pos += tsPrefix.length;
        long micros = Math.floorMod(epochNanos, 1_000_000_000L) / 1000;
        for (int i = pos + 5; i >= pos; i--) {
            buf[i] = (byte) ('0' + micros % 10);
            micros /= 10;
        }
        pos += 6;
        buf[pos++] = 'Z';
        buf[pos++] = '"';
    }

    /**
     * {@link org.nlsniff.event.Event#summary}'s string, written from the lines without joining
     * them: each stripped, empty ones left out, single spaces between.
     */
    void summary(java.util.List<String> lines) throws IOException {
        raw('"');
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int from = 0;
            int to = l.length();
            // String.strip's whitespace: Character.isWhitespace (no surrogate is whitespace).
            while (from < to && Character.isWhitespace(l.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(l.charAt(to - 1))) {
                to--;
            }
            if (from == to) {
                continue;
            }
            if (!first) {
                raw(' ');
            }
            first = false;
            chars(l, from, to);
        }
        raw('"');
    }

    /** A string that needs no escaping ({@link PlainText}), copied as it is. */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char
    private void plain(String s) throws IOException {
        int n = s.length();
        if (n + 2 > buf.length) {
            string(s);
            return;
        }
        ensure(n + 2);
        buf[pos++] = '"';
        s.getBytes(0, n, buf, pos);
        pos += n;
        buf[pos++] = '"';
    }

    /** A string or null. */
    void string(String s) throws IOException {
        if (s == null) {
            nul();
            return;
        }
        raw('"');
        chars(s, 0, s.length());
        raw('"');
    }

    /** The characters {@code [from, to)} of {@code s}, escaped, without quotes. */
    private void chars(String s, int from, int n) throws IOException {
        byte[] b = buf;
        int p = pos;
        int i = from;
        if (n - from > b.length - p && n - from <= b.length) {
            pos = p;
            flushBuffer();
            p = pos;
        }
        if (n - from <= b.length - p) {
            // Room for the whole string if it needs no escapes: copy while it needs none.
            while (i < n) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    break;
                }
                b[p++] = (byte) c;
                i++;
            }
        }
        for (; i < n; i++) {
            if (p + 8 > b.length) { // room for the longest form of one character
                pos = p;
                flushBuffer();
                p = pos;
            }
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
            } else {
                p = special(s, i, c, p);
                if (Character.isHighSurrogate(c) && i + 1 < n
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                }
            }
        }
        pos = p;
    }

    /** Escapes or UTF-8-encodes {@code c} (and its low surrogate) at {@code p}; returns the end. */
    private int special(String s, int i, char c, int p) {
        byte[] b = buf;
        if (c < 0x20) {
            char e = switch (c) {
                case '\b' -> 'b';
                case '\t' -> 't';
                case '\n' -> 'n';
                case '\f' -> 'f';
                case '\r' -> 'r';
                default -> 0;
            };
            b[p++] = '\\';
            if (e != 0) {
                b[p++] = (byte) e;
            } else {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 15];
            }
            return p;
        }
        if (c == '"' || c == '\\') {
            b[p++] = '\\';
            b[p++] = (byte) c;
            return p;
        }
        if (c < 0x800) {
            b[p++] = (byte) (0xc0 | (c >> 6));
            b[p++] = (byte) (0x80 | (c & 0x3f));
            return p;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            b[p++] = (byte) (0xf0 | (cp >> 18));
            b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            b[p++] = (byte) (0x80 | (cp & 0x3f));
            return p;
        }
        if (Character.isSurrogate(c)) {
            // A lone surrogate has no UTF-8 form: U+FFFD, as a decoder of our own output would.
            c = '\ufffd';
        }
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
        return p;
    }

    /**
     * What a writer keeps of one plain struct layout: the members' keys, encoded once with the
     * comma before them, and the bytes and rendering of the last struct of that layout written.
     */
    private static final class StructOut {
        final byte[][] keys;
        /** Remember renderings: structs of this many members or more. */
        final boolean remember;
        byte[] lastIn;
        java.nio.ByteOrder lastOrder;
        byte[] lastOut;

        StructOut(byte[][] keys) {
            this.keys = keys;
            this.remember = keys.length >= REMEMBER_MEMBERS;
        }
    }

    /**
     * Structs of at least this many members are rendered once per distinct content: a struct
     * whose bytes equal those of the previous struct of its layout (the same device's settings
     * and counters in the next message about it) is copied from that one's rendering. Measured
     * on the bundled captures in their order, the previous struct of the layout had the same
     * bytes for 85% of the IPv4 settings, 70% of the IPv6 ones and 64% of the statistics; the
     * smaller ones (the interface map, 6 members, an address's cache info, 4) are not kept: for
     * so few members the comparison and the copies would be most of the work.
     */
    static final int REMEMBER_MEMBERS = 8;

    /**
     * A struct of plain numbers straight from its bytes: what its entries would write. The
     * members' keys are encoded once per struct definition (with the comma before them) and the
     * loop does one bounds check per member; a struct whose bytes repeat the previous one of its
     * layout is copied from that one's rendering (see {@link #REMEMBER_MEMBERS}).
     */
    private void pendingStruct(PendingStruct p) throws IOException {
        PendingStruct.Layout l = p.layout();
        StructOut s = struct(l);
        if (s.lastOut != null && p.sameBytes(s.lastIn, s.lastOrder)) {
            bytes(s.lastOut);
            return;
        }
        byte[][] keys = s.keys;
        ensure(1);
        int begin = pos;
        long flushesBefore = flushes;
        raw('{');
        for (int i = 0, n = l.count(); i < n; i++) {
            byte[] k = keys[i];
            int skip = i == 0 ? 1 : 0; // no comma before the first member
            if (k.length + 21 > buf.length) {
                // A key longer than the buffer (a spec of one's own may have one): streamed.
                if (skip == 0) {
                    raw(',');
                }
                key(l.key(i));
            } else {
                ensure(k.length + 21);
                System.arraycopy(k, skip, buf, pos, k.length - skip);
                pos += k.length - skip;
            }
            long v = p.valueAt(i);
            if (v < 10 && v >= 0) {
                buf[pos++] = (byte) ('0' + v);
            } else if (l.isUnsignedAbove(i, v)) {
                bytes(Long.toUnsignedString(v).getBytes(StandardCharsets.US_ASCII));
            } else {
                number(v);
            }
        }
        String extra = p.extraHex();
        if (extra != null) {
            if (l.count() > 0) {
                raw(',');
            }
            key("_extra");
            string(extra);
        }
        raw('}');
        if (s.remember) {
            byte[] in = flushes == flushesBefore ? p.copyBytes() : null;
            s.lastIn = in;
            s.lastOrder = p.order();
            s.lastOut = in == null ? null : java.util.Arrays.copyOfRange(buf, begin, pos);
        }
    }

    /** What this writer keeps of a plain struct layout, made on first use. */
    private StructOut struct(PendingStruct.Layout l) throws IOException {
        if (l == lastLayout) {
            return lastStruct;
        }
        StructOut s = structs.get(l);
        if (s == null) {
            byte[][] keys = new byte[l.count()][];
            for (int i = 0; i < keys.length; i++) {
                byte[] k = encodeKey(l.key(i));
                keys[i] = new byte[k.length + 1];
                keys[i][0] = ',';
                System.arraycopy(k, 0, keys[i], 1, k.length);
            }
            s = new StructOut(keys);
            structs.put(l, s);
        }
        lastLayout = l;
        lastStruct = s;
        return s;
    }

    /** A decoded tree, compact, keys in insertion order. */
    void tree(JsonNode n) throws IOException {
        // The decoder's usual nodes first, by class: no virtual calls for them.
        if (n instanceof com.fasterxml.jackson.databind.node.LongNode
                || n instanceof com.fasterxml.jackson.databind.node.IntNode) {
            number(n.longValue());
            return;
        }
        if (n instanceof PlainText) {
            plain(n.textValue());
            return;
        }
        if (n instanceof com.fasterxml.jackson.databind.node.TextNode) {
            string(n.textValue());
            return;
        }
        switch (n.getNodeType()) {
            case OBJECT -> {
                if (n instanceof DecodedObject o) {
                    PendingStruct p = o.pending();
                    if (p != null) {
                        pendingStruct(p);
                        return;
                    }
                    raw('{');
                    int size = o.entryCount();
                    String[] keys = o.keyArray();
                    Object[] values = o.valueArray();
                    byte[][] jsonKeys = o.jsonKeyArray();
                    for (int i = 0; i < size; i++) {
                        if (i > 0) {
                            raw(',');
                        }
                        byte[] k = jsonKeys[i];
                        if (k != null) {
                            bytes(k);
                        } else {
                            key(keys[i]);
                        }
                        tree((JsonNode) values[i]);
                    }
                    raw('}');
                    return;
                }
                raw('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> en : n.properties()) {
                    if (!first) {
                        raw(',');
                    }
                    first = false;
                    key(en.getKey());
                    tree(en.getValue());
                }
                raw('}');
            }
            case ARRAY -> {
                raw('[');
                for (int i = 0, size = n.size(); i < size; i++) {
                    if (i > 0) {
                        raw(',');
                    }
                    tree(n.get(i));
                }
                raw(']');
            }
            case STRING -> string(n.textValue());
            case NUMBER -> {
                if (n.canConvertToLong() && (n.isIntegralNumber())) {
                    number(n.longValue());
                } else {
                    bytes(n.asText().getBytes(StandardCharsets.US_ASCII));
                }
            }
            case BOOLEAN -> bool(n.booleanValue());
            case NULL, MISSING -> nul();
            default -> string(n.asText());
        }
    }
}
