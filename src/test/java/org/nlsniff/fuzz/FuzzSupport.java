package org.nlsniff.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.nlsniff.app.Pipeline;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.event.NamespaceNames;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.Problem;
import org.nlsniff.sink.EventSink;
import org.nlsniff.sink.JsonLinesSink;
import org.nlsniff.sink.TextSink;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;

/**
 * Shared pieces of the fuzz tests: the sample captures and their frames, netlink/pcap builders,
 * the in-process "decode and print both ways" step with its contract checks, and the place
 * crashing inputs are saved ({@code samples/malformed/}).
 */
final class FuzzSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The JSON keys every line starts with, in the README's order. */
    static final List<String> JSON_KEYS = List.of("ts", "source", "frame", "nsid", "netns",
            "protocol", "type", "event", "nlmsg_flags", "nlmsg_seq", "nlmsg_pid", "summary",
            "header", "attrs", "unknown", "problems");

    private FuzzSupport() {}

    /** Every bundled capture (pcap and pcapng), except the malformed regression inputs. */
    static List<Path> sampleCaptures() throws IOException {
        try (Stream<Path> s = Files.walk(Repo.samples())) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".pcap") || n.endsWith(".pcapng"))
                        && !p.toString().contains("/malformed/");
            }).sorted().toList();
        }
    }

    /** Every frame of a capture. */
    static List<Frame> frames(Path capture) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (CaptureFileSource src = CaptureFileSource.open(capture)) {
            Frame f;
            while ((f = src.next()) != null) {
                out.add(f);
            }
        }
        return out;
    }

    static Frame withData(Frame f, byte[] data, ByteOrder order, int protocol, Integer nsid) {
        return new Frame(f.tsNanos(), f.source(), f.number(), protocol, nsid, order, data,
                f.kind(), f.problem());
    }

    /**
     * What one decode-and-print produced: the decoded messages, and the events the pipeline
     * emitted for them (messages plus derived events such as {@code link.moved}) with their
     * text lines, the text output and the JSON lines.
     */
    record Output(List<Message> messages, List<Event> events, List<List<String>> lines,
            String text, String json) {}

    /** A pipeline as the CLI builds it, writing text (with timestamps) and JSON, and recording. */
    static final class Printer implements AutoCloseable {
        final ByteArrayOutputStream jsonBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream textBytes = new ByteArrayOutputStream();
        final List<Event> events = new ArrayList<>();
        final Pipeline pipeline;

        Printer(SpecDecoder decoder, boolean joinMoves) throws IOException {
            JsonLinesSink json = new JsonLinesSink(jsonBytes, decoder.spec());
            TextSink text = new TextSink(new OutputStreamWriter(textBytes, StandardCharsets.UTF_8),
                    true);
            EventSink record = new EventSink() {
                @Override
                public void accept(Event e) {
                    e.summary();
                    events.add(e);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            pipeline = new Pipeline(decoder, List.of(json, text, record), NamespaceNames.NONE,
                    joinMoves);
        }

        /** Output since the last call (events, text, JSON), then starts afresh. */
        Output take(List<Message> messages) throws IOException {
            pipeline.flush();
            List<List<String>> lines = new ArrayList<>();
            for (Event e : events) {
                lines.add(e.lines());
            }
            Output out = new Output(messages, List.copyOf(events), lines,
                    textBytes.toString(StandardCharsets.UTF_8),
                    jsonBytes.toString(StandardCharsets.UTF_8));
            events.clear();
            textBytes.reset();
            jsonBytes.reset();
            return out;
        }

        @Override
        public void close() throws IOException {
            pipeline.finish();
        }
    }

    /**
     * Decodes a frame and runs it through a fresh pipeline (enrichers, derived events, the text
     * and JSON sinks) as the CLI does, ending the stream so waiting derived events come out too.
     * Exceptions propagate to the caller.
     */
    static Output decodeAndPrint(SpecDecoder decoder, Frame frame) throws IOException {
        List<Message> ms = decoder.decode(frame);
        Printer p = new Printer(decoder, frame.nsid() != null);
        p.pipeline.accept(frame);
        p.pipeline.finish();
        return p.take(ms);
    }

    /**
     * The contract of a decode: at least one message for a non-empty datagram, problem offsets
     * inside the datagram, one parseable JSON object per message with the README's keys in
     * order. Returns null when all holds, else what broke.
     */
    static String contractViolation(Frame frame, Output out) {
        if (out.messages().isEmpty() && frame.data().length > 0 && !allZero(frame.data())) {
            return "no message for a non-empty datagram";
        }
        List<Message> all = new ArrayList<>(out.messages());
        for (Event e : out.events()) {
            all.add(e.message());
        }
        for (Message m : all) {
            for (Problem p : m.problems) {
                if (p.offset() < 0 || p.offset() > frame.data().length) {
                    return "problem " + p.code() + " offset " + p.offset() + " outside the "
                            + frame.data().length + "-byte datagram";
                }
                if (p.detail() == null || p.detail().contains("\n")) {
                    return "problem " + p.code() + " detail is null or not one line";
                }
            }
            if (m.event == null) {
                return "message " + m.index + " has no event name";
            }
        }
        String textProblem = textViolation(out);
        if (textProblem != null) {
            return textProblem;
        }
        if (out.events().size() < out.messages().size()) {
            return out.events().size() + " events for " + out.messages().size() + " messages";
        }
        List<String> lines = out.json().lines().toList();
        if (lines.size() != out.events().size()) {
            return lines.size() + " JSON lines for " + out.events().size() + " events";
        }
        for (String line : lines) {
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (IOException e) {
                return "JSON line does not parse: " + e.getMessage().lines().findFirst().orElse("");
            }
            if (n == null || !n.isObject()) {
                return "JSON line is not an object";
            }
            // The README's keys in its order; keys added later may sit anywhere in between.
            Iterator<String> names = n.fieldNames();
            for (String key : JSON_KEYS) {
                boolean found = false;
                while (names.hasNext()) {
                    if (names.next().equals(key)) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return "JSON line lacks key " + key + " (or has it out of order): "
                            + line.substring(0, Math.min(line.length(), 300));
                }
            }
        }
        return null;
    }

    /**
     * The text format is line-oriented: an event is its first line plus continuation lines that
     * start with white space (IpText). Bytes from the capture (names, ext-ack messages) must not
     * be able to start a line of their own, which would forge an event.
     */
    static String textViolation(Output out) {
        long starts = out.text().lines().filter(l -> l.startsWith("[")).count();
        if (starts != out.events().size()) {
            return out.events().size() + " events but " + starts + " text lines that start an event: "
                    + out.text().lines().limit(6).toList();
        }
        for (String l : out.text().lines().toList()) {
            if (!l.isEmpty() && l.charAt(0) != '[' && l.charAt(0) != ' ' && l.charAt(0) != '\t') {
                return "text line neither starts an event nor continues one: " + l;
            }
        }
        for (int i = 0; i < out.lines().size(); i++) {
            List<String> ls = out.lines().get(i);
            for (int j = 0; j < ls.size(); j++) {
                String l = ls.get(j);
                if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
                    return "text of event " + i + " has a line break inside line " + j + ": "
                            + l.replace("\n", "\\n").replace("\r", "\\r");
                }
                if (j > 0 && !l.isEmpty() && l.charAt(0) != ' ' && l.charAt(0) != '\t') {
                    return "text of event " + i + ": continuation line " + j
                            + " does not start with white space: " + l;
                }
            }
        }
        return null;
    }

    static boolean allZero(byte[] d) {
        for (byte b : d) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ builders

    /** Little helper to write netlink structures in one byte order. */
    static final class Nl {
        final ByteOrder order;

        Nl(ByteOrder order) {
            this.order = order;
        }

        byte[] attr(int type, byte[] payload) {
            int len = 4 + payload.length;
            ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(order);
            b.putShort((short) len).putShort((short) type).put(payload);
            return b.array();
        }

        byte[] u32(int v) {
            return ByteBuffer.allocate(4).order(order).putInt(v).array();
        }

        byte[] str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return z;
        }

        byte[] msg(int type, int flags, byte[]... parts) {
            byte[] body = cat(parts);
            ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(order);
            b.putInt(16 + body.length).putShort((short) type).putShort((short) flags).putInt(1)
                    .putInt(0).put(body);
            return b.array();
        }

        /** struct ifinfomsg: family 0, type ARPHRD_ETHER, the index, flags. */
        byte[] ifinfomsg(int index, int flags) {
            return ByteBuffer.allocate(16).order(order).put((byte) 0).put((byte) 0)
                    .putShort((short) 1).putInt(index).putInt(flags).putInt(0).array();
        }

        /** struct rtmsg: AF_INET /24, main table, proto boot, universe, unicast. */
        byte[] rtmsg() {
            return new byte[] {2, 24, 0, 0, (byte) 254, 3, 0, 1, 0, 0, 0, 0};
        }

        /** struct rtnexthop header (8 bytes) for a payload of {@code inner} bytes. */
        byte[] rtnexthop(int innerLength, int ifindex) {
            return ByteBuffer.allocate(8).order(order).putShort((short) (8 + innerLength))
                    .put((byte) 0).put((byte) 0).putInt(ifindex).array();
        }
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** A classic pcap (link type 253) holding the datagrams, each behind an nlmon cooked header. */
    static byte[] pcap(ByteOrder order, int protocol, List<byte[]> datagrams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(0).putInt(253);
        out.writeBytes(h.array());
        int i = 0;
        for (byte[] d : datagrams) {
            ByteBuffer r = ByteBuffer.allocate(16 + 16).order(order);
            r.putInt(1_700_000_000 + i++).putInt(0).putInt(16 + d.length).putInt(16 + d.length);
            ByteBuffer cooked = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
            cooked.putShort((short) 4).putShort((short) 824).putShort((short) 0).putLong(0)
                    .putShort((short) protocol);
            r.put(cooked.array());
            out.writeBytes(r.array());
            out.writeBytes(d);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ saving crashes

    /** Where crashing inputs go: {@code fuzz.saveDir}, else {@code samples/malformed/}. */
    static Path saveDir() {
        String d = System.getProperty("fuzz.saveDir");
        return d != null ? Path.of(d) : Repo.samples().resolve("malformed");
    }

    /**
     * Saves a crashing input and appends a line about it to the README.md beside it, so that
     * someone can turn it into a named regression capture. Returns the file, or null when saving
     * failed (the test reports the input anyway).
     */
    static Path save(String name, byte[] bytes, String what) {
        try {
            Path dir = saveDir();
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            boolean known = Files.exists(file);
            Files.write(file, bytes);
            if (known) {
                return file; // the same seed and iteration again: already listed
            }
            Path readme = dir.resolve("README.md");
            String line = "- `" + name + "` (found " + Instant.now() + " by MutationFuzzTest): "
                    + what.replace('\n', ' ') + "\n";
            Files.writeString(readme, line, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String hex(byte[] d, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(d.length, max); i++) {
            sb.append(String.format("%02x", d[i] & 0xff));
        }
        if (d.length > max) {
            sb.append("...(").append(d.length).append(" bytes)");
        }
        return sb.toString();
    }

    /** First line of a throwable plus its innermost frames of nlsniff code. */
    static String signature(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.nlsniff") && !e.getClassName().startsWith("org.nlsniff.fuzz")) {
                sb.append(" at ").append(e.getClassName()).append('.').append(e.getMethodName())
                        .append(':').append(e.getLineNumber());
                break;
            }
        }
        return sb.toString();
    }

    static String stackTrace(Throwable t, int maxLines) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString().lines().limit(maxLines).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
