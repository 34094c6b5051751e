package org.nlsniff.source;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import org.nlsniff.frame.CaptureException;
import org.nlsniff.frame.Frame;
import org.nlsniff.frame.FrameSource;

/**
 * Datagrams written as hex text: hand-built fixtures ({@code samples/corner/*.hex}), a message
 * pasted from {@code strace -X raw} or a hex dump. Format:
 *
 * <ul>
 *   <li>hex digits, with any spaces, {@code 0x} prefixes, {@code \x} escapes, quotes and commas;
 *   <li>{@code #} starts a comment to the end of the line;
 *   <li>a blank line ends a datagram (several messages may share one);
 *   <li>directives on their own line, for the datagrams that follow: {@code @protocol route}
 *       (or a number), {@code @byte-order little|big}, {@code @nsid N|current} (a negative N is
 *       the own namespace, as in pcapng comments).
 * </ul>
 *
 * Frames are numbered from 1 and have time 0. Odd digit counts and unknown directives are
 * reported as {@link CaptureException} naming the line. Not thread-safe.
 */
public final class HexFixtureSource implements FrameSource {
    private final Deque<Frame> frames = new ArrayDeque<>();

    public HexFixtureSource(String text, String sourceName, int protocol, ByteOrder order)
            throws CaptureException {
        Integer nsid = null;
        StringBuilder hex = new StringBuilder();
        int lineNo = 0;
        int startLine = 1;
        long number = 0;
        for (String raw : (text + "\n\n").split("\n", -1)) {
            lineNo++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.startsWith("@")) {
                String[] kv = line.substring(1).split("\\s+", 2);
                String v = kv.length > 1 ? kv[1].strip().toLowerCase(Locale.ROOT) : "";
                switch (kv[0]) {
                    case "protocol" -> protocol = parseProtocol(v, sourceName, lineNo);
                    case "byte-order" -> order = switch (v) {
                        case "little" -> ByteOrder.LITTLE_ENDIAN;
                        case "big" -> ByteOrder.BIG_ENDIAN;
                        default -> throw new CaptureException(sourceName + ": line " + lineNo
                                + ": @byte-order must be little or big");
                    };
                    case "nsid" -> {
                        // A negative id is the own namespace, as in pcapng comments.
                        int id = v.equals("current") ? -1 : parseInt(v, sourceName, lineNo);
                        nsid = id < 0 ? null : id;
                    }
                    default -> throw new CaptureException(sourceName + ": line " + lineNo
                            + ": unknown directive @" + kv[0]);
                }
                continue;
            }
            if (line.isEmpty()) {
                if (hex.length() > 0) {
                    if (hex.length() % 2 != 0) {
                        throw new CaptureException(sourceName + ": lines " + startLine + "-" + (lineNo - 1)
                                + ": odd number of hex digits (" + hex.length() + ")");
                    }
                    byte[] data = HexFormat.of().parseHex(hex);
                    frames.add(Frame.data(0, sourceName, ++number, protocol, nsid, order, data));
                    hex.setLength(0);
                }
                startLine = lineNo + 1;
                continue;
            }
            String cleaned = line.replace("\\x", " ").replaceAll("0[xX]", " ")
                    .replaceAll("[\\s\"',:;\\\\]", "");
            for (int i = 0; i < cleaned.length(); i++) {
                char c = cleaned.charAt(i);
                // ASCII only: Character.digit also takes fullwidth and Arabic-Indic digits.
                boolean hexDigit = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
                if (!hexDigit) {
                    String shown = c >= 0x21 && c < 0x7f ? String.valueOf(c)
                            : String.format("U+%04X", (int) c);
                    throw new CaptureException(sourceName + ": line " + lineNo + ": `" + shown
                            + "` is not a hex digit");
                }
            }
            hex.append(cleaned);
        }
    }

    private static int parseProtocol(String v, String src, int line) throws CaptureException {
        int p = switch (v) {
            case "route" -> 0;
            case "generic" -> 16;
            default -> parseInt(v, src, line);
        };
        if (p < 0 || p > 31) {
            throw new CaptureException(src + ": line " + line + ": @protocol must be 0..31");
        }
        return p;
    }

    private static int parseInt(String v, String src, int line) throws CaptureException {
        Integer n = CaptureFileSource.decimalInt(v);
        if (n == null) {
            throw new CaptureException(src + ": line " + line + ": `" + v + "` is not a number");
        }
        return n;
    }

    @Override
    public Frame next() throws IOException {
        return frames.poll();
    }

    @Override
    public void close() {
        frames.clear();
    }
}
