package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nlsniff.app.Decoding;
import org.nlsniff.event.LinkTable;
import org.nlsniff.frame.Frame;
import org.nlsniff.sink.IpText;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;

/**
 * Damaged bytes never throw: every datagram of the samples cut at every byte, and every length
 * field (message and attribute, at any depth) set to 0, 3 and 0xffff, decodes to messages with
 * problems, and the text printer copes with whatever came out.
 */
class MalformedInputTest {
    private static SpecDecoder decoder;
    private static final List<Frame> FRAMES = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        decoder = Decoding.build(List.of());
        for (String s : new String[] {"seed/seed.pcap", "requests/requests.pcapng",
            "routes/routes.pcap", "kinds/kinds.pcap", "nsid/nsid.pcap"}) {
            Path p = Repo.samples().resolve(s);
            if (!p.toFile().exists()) {
                continue;
            }
            try (CaptureFileSource src = CaptureFileSource.open(p)) {
                Frame f;
                while ((f = src.next()) != null) {
                    FRAMES.add(f);
                }
            }
        }
        assertFalse(FRAMES.isEmpty());
    }

    static Stream<String> nothing() {
        return Stream.of("");
    }

    private static List<Message> decodeAndPrint(Frame f, byte[] data) {
        Frame g = new Frame(f.tsNanos(), f.source(), f.number(), f.protocol(), f.nsid(), f.order(),
                data, f.kind(), f.problem());
        List<Message> ms = decoder.decode(g);
        IpText text = new IpText(new LinkTable(), (a, b) -> null);
        for (Message m : ms) {
            text.lines(m);
        }
        return ms;
    }

    @Test
    void everyDatagramCutAtEveryByteDecodesWithoutException() {
        long cuts = 0;
        for (Frame f : FRAMES) {
            byte[] d = f.data();
            for (int n = 0; n < d.length; n++) {
                List<Message> ms = decodeAndPrint(f, Arrays.copyOf(d, n));
                cuts++;
                if (n > 0 && n < d.length && !allZeroFrom(d, n) && !messageBoundary(d, f.order(), n)) {
                    // A cut inside a message must be reported, not silently accepted.
                    assertTrue(ms.stream().anyMatch(m -> !m.problems.isEmpty()),
                            "cut at " + n + " of frame " + f.number() + " reported no problem");
                }
            }
        }
        assertTrue(cuts > 10_000, "only " + cuts + " cuts");
    }

    /** True when {@code n} is where a message of the datagram ends (a shorter, valid datagram). */
    private static boolean messageBoundary(byte[] d, ByteOrder order, int n) {
        ByteBuffer b = ByteBuffer.wrap(d).order(order);
        int off = 0;
        while (d.length - off >= 16) {
            int len = b.getInt(off);
            if (len < 16) {
                return false;
            }
            off += (len + 3) & ~3;
            if (off == n || off - ((4 - (len & 3)) & 3) == n) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZeroFrom(byte[] d, int n) {
        for (int i = n; i < d.length; i++) {
            if (d[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyLengthFieldSetToZeroThreeAndMaxDecodesWithoutException() {
        long mutations = 0;
        for (Frame f : FRAMES) {
            for (int pos : lengthFields(f.data(), f.order())) {
                for (int v : new int[] {0, 3, 0xffff}) {
                    byte[] d = f.data().clone();
                    ByteBuffer.wrap(d).order(f.order()).putShort(pos, (short) v);
                    List<Message> ms = decodeAndPrint(f, d);
                    assertFalse(ms.isEmpty());
                    mutations++;
                }
            }
            // nlmsg_len is 32 bits: 0, 3, 0xffff and 0xffffffff
            for (int v : new int[] {0, 3, 0xffff, -1}) {
                byte[] d = f.data().clone();
                if (d.length >= 4) {
                    ByteBuffer.wrap(d).order(f.order()).putInt(0, v);
                    List<Message> ms = decodeAndPrint(f, d);
                    assertTrue(ms.stream().anyMatch(m -> !m.problems.isEmpty()),
                            "nlmsg_len " + v + " in frame " + f.number());
                }
            }
        }
        assertTrue(mutations > 10_000, "only " + mutations + " mutations");
    }

    /** Offsets of every attribute length field, found by walking like a decoder would. */
    private static List<Integer> lengthFields(byte[] d, ByteOrder order) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d).order(order);
        int off = 0;
        while (d.length - off >= 16) {
            int len = b.getInt(off);
            if (len < 16 || len > d.length - off) {
                break;
            }
            // Try every 4-aligned start after the header as an attribute run (covers every
            // fixed-header size); record positions that look like plausible attribute headers.
            for (int p = off + 16; p + 4 <= off + len; p += 4) {
                int alen = b.getShort(p) & 0xffff;
                if (alen >= 4 && p + alen <= off + len) {
                    out.add(p);
                }
            }
            off += (len + 3) & ~3;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("nothing")
    void randomBytesNeverThrow(String unused) {
        java.util.Random r = new java.util.Random(42);
        Frame f = FRAMES.get(0);
        for (int i = 0; i < 5000; i++) {
            byte[] d = new byte[r.nextInt(200)];
            r.nextBytes(d);
            if (d.length >= 4 && r.nextBoolean()) {
                ByteBuffer.wrap(d).order(f.order()).putInt(0, d.length);
            }
            decodeAndPrint(f, d);
        }
    }
}
