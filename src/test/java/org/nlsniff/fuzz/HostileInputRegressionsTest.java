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
}
