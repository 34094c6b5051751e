package org.nlsniff.event;

import java.util.List;
import org.nlsniff.decode.Message;

/**
 * A decoded message with what enrichers added: the ip-style text lines and the namespace name.
 *
 * @param message the decoded message
 * @param lines text lines as ip monitor prints them (first line without label)
 * @param netns name of the source namespace when known, else null
 */
public record Event(Message message, List<String> lines, String netns) {

    /** Every line made printable (see {@link #printable}), whoever built it. */
    public Event {
        if (lines.size() == 1) {
            String l = lines.get(0);
            String p = printable(l);
            lines = p == l && lines.getClass() == ONE_LINE ? lines : List.of(p);
        } else {
            String[] safe = new String[lines.size()];
            for (int i = 0; i < safe.length; i++) {
                safe[i] = printable(lines.get(i));
            }
            lines = List.of(safe);
        }
    }

    /** An immutable list of one line, as {@code List.of(line)} makes it: kept as it is. */
    private static final Class<?> ONE_LINE = List.of("").getClass();

    /**
     * Bytes from the wire (interface names, aliases, ack texts) may hold line breaks or terminal
     * escapes: shown as {@code \xNN} so a capture cannot forge lines or drive the terminal; the
     * Unicode line and paragraph separators, bidirectional controls, zero-width characters and
     * the BOM as {@code \\uNNNN}, format characters beyond the BMP (tag characters) as
     * {@code \\UNNNNNNNN}, since other programs split lines at them, reorder or hide text.
     */
    public static String printable(String line) {
        int n = line.length();
        int first = 0;
        // Most lines are printable ASCII throughout: one comparison per character for them.
        while (first < n) {
            char c = line.charAt(first);
            if (c < 0x20 || c >= 0x7f) {
                break;
            }
            first++;
        }
        if (first == n) {
            return line;
        }
        StringBuilder sb = null;
        for (int i = first; i < n; i++) {
            char c = line.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
            boolean invisible = !control && c >= 0x61c && isInvisible(c);
            // Format characters beyond the BMP (tag characters, musical format marks) are as
            // invisible: shown as \UNNNNNNNN.
            int format = Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(line.charAt(i + 1))
                    && Character.getType(line.codePointAt(i)) == Character.FORMAT
                    ? line.codePointAt(i) : -1;
            if ((control || invisible || format >= 0) && sb == null) {
                sb = new StringBuilder(line.length() + 8).append(line, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append("\\x").append(Character.forDigit(c >> 4 & 15, 16))
                            .append(Character.forDigit(c & 15, 16));
                } else if (invisible) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else if (format >= 0) {
                    sb.append(String.format("\\U%08x", format));
                    i++;
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? line : sb.toString();
    }

    /**
     * The characters {@link #printable} shows as {@code \\uNNNN}. The bidirectional controls of
     * Unicode's UAX #9 (table 2) are all here: U+061C, U+200E, U+200F, U+202A..U+202E and
     * U+2066..U+2069.
     */
    public static boolean isInvisible(char c) {
        return c == 0x061c // Arabic letter mark (a bidirectional mark)
                || (c >= 0x200b && c <= 0x200f) // zero-width space, joiners, direction marks
                || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || (c >= 0x202a && c <= 0x202e) // bidirectional embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069) // bidirectional isolates
                || c == 0xfeff; // byte order mark
    }

    /** Whether {@link #printable} would change {@code c}: a control (tab aside) or invisible. */
    public static boolean needsEscape(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || isInvisible(c);
    }

    /** The lines joined by single spaces (JSON's {@code summary}). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            String s = l.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(s);
        }
        return sb.toString();
    }
}
