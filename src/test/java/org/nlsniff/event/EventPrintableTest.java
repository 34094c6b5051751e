package org.nlsniff.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Event#printable} against the rule it documents, one character at a time. */
class EventPrintableTest {
    /** The rule, plainly: C0 controls but tab, DEL and C1 as \xNN; invisible ones as \\uNNNN. */
    private static String byTheRule(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int cp = line.codePointAt(i);
            if (cp > 0xffff && Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\U%08x", cp));
                i++;
            } else if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else if (c == 0x061c || (c >= 0x200b && c <= 0x200f) || c == 0x2028 || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void aPrintableLineIsReturnedAsItIs() {
        String line = "66: nlhdum0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN\tgroup default ";
        assertSame(line, Event.printable(line));
        String accented = "caf\u00e9 \u00a0 \u2003 \u200a";
        assertSame(accented, Event.printable(accented));
    }

    /** Tag characters and the musical format marks hide text as the BMP's format characters do. */
    @Test
    void formatCharactersBeyondTheBmpAreEscaped() {
        assertEquals("a\\U000e0041b", Event.printable("a\udb40\udc41b"));
        assertEquals("x\\U0001d173", Event.printable("x\ud834\udd73"));
        assertEquals("smile \ud83d\ude00", Event.printable("smile \ud83d\ude00")); // not a format
    }

    @Test
    void everyUnicodeBidiControlIsEscaped() {
        // UAX #9 table 2: the explicit directional marks, embeddings, overrides and isolates.
        for (char c : new char[] {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
            0x2066, 0x2067, 0x2068, 0x2069}) {
            assertEquals(String.format("a\\u%04xb", (int) c), Event.printable("a" + c + "b"));
        }
    }

    @Test
    void everyCharacterAnywhereInALineFollowsTheRule() {
        for (int c = 0; c <= 0xffff; c++) {
            for (String line : new String[] {String.valueOf((char) c), "ab" + (char) c,
                (char) c + "cd", "x" + (char) c + "\u00e9" + (char) c}) {
                assertEquals(byTheRule(line), Event.printable(line), "U+" + Integer.toHexString(c));
            }
        }
        Random r = new Random(11);
        char[] pool = {'a', ' ', '\t', '\n', 0x1b, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xe9, 0x200b, 0x2028,
            0x202e, 0x2069, 0xfeff, 0x061c, 0xd83d, 0xde00, 0xdb40, 0xdc41, 0xd834, 0xdd73};
        for (int i = 0; i < 20_000; i++) {
            char[] s = new char[r.nextInt(40)];
            for (int j = 0; j < s.length; j++) {
                s[j] = r.nextInt(4) == 0 ? pool[r.nextInt(pool.length)] : (char) ('a' + r.nextInt(26));
            }
            String line = new String(s);
            assertEquals(byTheRule(line), Event.printable(line), line);
        }
    }
}
