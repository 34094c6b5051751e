package org.nlsniff.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nlsniff.event.Event;
import org.nlsniff.testing.Repo;

/** What the hostile-input review found, each pinned to its regression capture. */
class HostileInputRegressionsTest {
    private static Repo.Run text(String file) {
        Repo.Run r = Repo.cli("-r", Repo.samples().resolve("malformed").resolve(file).toString());
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void unicodeSeparatorsBidiAndZeroWidthAreEscaped() {
        assertEquals("a\\u2028b\\u2029c\\u202ed\\u2066e\\u200bf\\ufeffg",
                Event.printable("a\u2028b\u2029c\u202ed\u2066e\u200bf\ufeffg"));
        Repo.Run r = text("s_ifname_u2028.pcap");
        assertFalse(r.out().contains("\u2028"), r.out());
        assertTrue(r.out().contains("ev\\u2028[LINK]1: lo:"), r.out());
    }

    @Test
    void extackQuotesAreEscapedAndEveryCopyShown() {
        assertTrue(text("e_msg_quote.pcap").out().contains("\"Invalid\\\" offset 999"));
        assertTrue(text("e_msg_repeat.pcap").out().contains("\"first\" \"second\""));
    }

    @Test
    void anEmptyDatagramIsAnEventNotASilentGap() {
        Repo.Run r = Repo.cli("-r", Repo.samples().resolve("malformed/m_empty_dgram.pcap").toString(),
                "--json");
        assertTrue(r.out().contains("\"frame\":2,") && r.out().contains("empty-datagram"), r.out());
    }

    @Test
    void aFrameCutBySnaplenSaysSo() {
        assertTrue(text("p_snaplen_trunc.pcap").out().contains("frame-truncated-by-capture"));
    }

    @Test
    void negativeNsidCommentsAreNotNamespaces() {
        assertFalse(text("n_nsid_comments.pcapng").out().contains("[nsid -"));
    }

    @Test
    void bytesAStructureCannotHoldAreKeptInAProblem() {
        for (String[] c : new String[][] {
                {"s_after_nul.pcap", "string-bytes-after-nul", "48494444454e44415441"},
                {"s_bad_utf8.pcap", "string-not-utf8", "fffec080"},
                {"l_flag_payload.pcap", "flag-with-payload", "5345435245545041594c4f4144"},
                {"l_peer_short.pcap", "header-truncated", "only 10 bytes"},
                {"a_overrun.pcap", "attr-overruns-parent", "the rest of the set: c8000300"}}) {
            Repo.Run r = Repo.cli("-r", Repo.samples().resolve("malformed").resolve(c[0]).toString(),
                    "--json");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\"code\":\"" + c[1] + "\"") && r.out().contains(c[2]),
                    c[0] + ": " + r.out());
        }
    }
}
