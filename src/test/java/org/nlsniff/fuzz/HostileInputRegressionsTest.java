package org.nlsniff.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void datagramsOfManyTinyMessagesAreDecodedAheadInLittleMemory(@TempDir Path tmp)
            throws Exception {
        // 40 datagrams of 100 KiB, each 5,120 NLMSG_DONE of 20 bytes (the review's capture):
        // counted by bytes alone, 50,000 messages were decoded ahead and the process grew to
        // 450 MB. Now each message counts too: it runs with a 48 MiB heap.
        int perFrame = 5120;
        int frames = 40;
        ByteBuffer frame = ByteBuffer.allocate(16 + perFrame * 20).order(ByteOrder.LITTLE_ENDIAN);
        frame.order(ByteOrder.BIG_ENDIAN).putShort(0, (short) 4).putShort(2, (short) 824);
        frame.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < perFrame; i++) {
            frame.putInt(16 + i * 20, 20).putShort(16 + i * 20 + 4, (short) 3).putShort(16 + i * 20 + 6, (short) 2);
        }
        ByteBuffer file = ByteBuffer.allocate(24 + frames * (16 + frame.capacity()))
                .order(ByteOrder.LITTLE_ENDIAN);
        file.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(0).putInt(253);
        for (int f = 0; f < frames; f++) {
            file.putInt(f).putInt(0).putInt(frame.capacity()).putInt(frame.capacity())
                    .put(frame.array());
        }
        Path capture = tmp.resolve("tiny-messages.pcap");
        Files.write(capture, file.array());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.nlsniff.cli.Main", "-r", capture.toString(), "--json"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        assertEquals(0, p.exitValue(), Files.readString(err));
        long lines;
        try (var l = Files.lines(out)) {
            lines = l.count();
        }
        assertEquals((long) frames * perFrame, lines);
    }
}
