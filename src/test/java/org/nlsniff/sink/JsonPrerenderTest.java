package org.nlsniff.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nlsniff.app.DecodeAhead;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.event.Event;
import org.nlsniff.frame.Frame;
import org.nlsniff.source.CaptureFileSource;
import org.nlsniff.testing.Repo;

/**
 * The JSON body rendered ahead on a decoding thread is byte for byte what the sink writes itself,
 * and a message changed after rendering (an enricher adding names) is rendered again.
 */
class JsonPrerenderTest {
    private static String line(SpecDecoder d, Message m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesSink sink = new JsonLinesSink(out, d.spec());
        sink.accept(new Event(m, List.of("s"), null));
        sink.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Message> decodeAll(SpecDecoder d, Path capture) throws Exception {
        List<Message> all = new ArrayList<>();
        try (CaptureFileSource src = CaptureFileSource.open(capture)) {
            Frame f;
            while ((f = src.next()) != null) {
                all.addAll(d.decode(f));
            }
        }
        return all;
    }

    @Test
    void prerenderedLinesEqualRenderedLinesOnEverySample() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        int n = 0;
        for (String s : List.of("seed/seed.pcap", "kinds/kinds.pcapng", "routes/routes.pcap",
                "nsid/nsid.pcapng", "requests/requests.pcap")) {
            for (Message m : decodeAll(d, Repo.samples().resolve(s))) {
                String plain = line(d, m);
                JsonLinesSink.prerender(m);
                assertNotNull(m.rendered, s);
                assertEquals(plain, line(d, m), s + " message " + m.index + " of frame "
                        + m.frame.number());
                n++;
            }
        }
        assertTrue(n > 700, "messages compared: " + n);
    }

    @Test
    void classesPastTheCacheSizeAreRenderedRight() throws Exception {
        // One sink for 10,000 classes (the cache holds 4,096, then starts again), each line as a
        // sink of its own writes it; a real message of every sample among them.
        SpecDecoder d = Decoding.build(List.of());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        JsonLinesSink shared = new JsonLinesSink(all, d.spec());
        List<String> expected = new ArrayList<>();
        List<Message> real = decodeAll(d, Repo.samples().resolve("requests/requests.pcap"));
        for (int i = 0; i < 10_000; i++) {
            Message m = i % 7 == 0 ? real.get(i / 7 % real.size())
                    : new Message(Frame.data(0, "t", i + 1, i % 3 == 0 ? 16 : 0, null,
                            java.nio.ByteOrder.LITTLE_ENDIAN, new byte[16]), 0, 0, 16,
                            16 + i % 5, i, 0, 0, null);
            shared.accept(new Event(m, List.of("s"), null));
            expected.add(line(d, m));
        }
        shared.flush();
        assertEquals(String.join("", expected), all.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMessageChangedAfterRenderingIsRenderedAgain() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        Message m = decodeAll(d, Repo.samples().resolve("seed/seed.pcap")).get(0);
        JsonLinesSink.prerender(m);
        m.attrs.put("link_netns", "demo");
        assertTrue(line(d, m).contains("\"link_netns\":\"demo\""), line(d, m));
        JsonLinesSink.prerender(m);
        m.attrs.put("link_netns", "other"); // a replaced value counts as a change too
        assertTrue(line(d, m).contains("\"link_netns\":\"other\""), line(d, m));
        JsonLinesSink.prerender(m);
        m.header.put("ifi_index", 12345);
        assertTrue(line(d, m).contains("\"ifi_index\":12345"), line(d, m));
    }

    @Test
    void decodeAheadKeepsFrameOrderWithSeveralWorkers() throws Exception {
        SpecDecoder d = Decoding.build(List.of());
        Path capture = Repo.samples().resolve("kinds/kinds.pcap");
        List<Message> expected = decodeAll(d, capture);
        List<Message> got = new ArrayList<>();
        try (CaptureFileSource src = CaptureFileSource.open(capture);
                DecodeAhead ahead = new DecodeAhead(src, d, 3, JsonLinesSink::prerender)) {
            DecodeAhead.Item it;
            while ((it = ahead.next()) != null) {
                got.addAll(it.messages());
            }
        }
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i).frame.number(), got.get(i).frame.number(), "at " + i);
            assertEquals(line(d, expected.get(i)), line(d, got.get(i)), "at " + i);
        }
    }
}
