package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nlsniff.frame.Frame;
import org.nlsniff.spec.SpecLoader;

/**
 * A Java decoder that throws (a plugin's, or a bug of ours) costs one message's decoding: the
 * message is reported with its payload as hex, and the rest of the datagram is decoded.
 */
class DecoderFailureTest {
    @Test
    void aThrowingDecoderIsAProblemOnItsMessageOnly() throws Exception {
        Decoders decoders = Decoders.load(DecoderFailureTest.class.getClassLoader());
        decoders.add(r -> r.message(0, 126, (ctx, m, start, end) -> {
            throw new IllegalStateException("boom");
        }));
        decoders.add(r -> r.message(0, 127, (ctx, m, start, end) -> {
            throw new StackOverflowError();
        }));
        SpecDecoder decoder = new SpecDecoder(new SpecLoader(decoders.attributeNames())
                .addDefaults().build(), decoders);
        byte[] d = HexFormat.of().parseHex(
                "140000007e000000010000000000000001020304"     // type 126, seq 1
                + "140000007f000000020000000000000005060708"   // type 127, seq 2
                + "1c000000580000000300000000000000"           // RTM_NEWNSID, seq 3
                + "00000000" + "0800010005000000");            //   rtgenmsg, NETNSA_NSID 5
        List<Message> ms = decoder.decode(Frame.data(0, "t", 1, 0, null,
                ByteOrder.LITTLE_ENDIAN, d));
        assertEquals(3, ms.size());
        Message boom = ms.get(0);
        assertEquals(List.of("decoder-failed"), boom.problems.stream().map(p -> p.code()).toList());
        assertTrue(boom.problems.get(0).detail().contains("IllegalStateException: boom"),
                boom.problems.get(0).detail());
        assertEquals("01020304", boom.rawHex);
        assertEquals(1, boom.seq);
        assertEquals(126, boom.type);
        Message deep = ms.get(1);
        assertEquals("decoder-failed", deep.problems.get(0).code());
        assertTrue(deep.problems.get(0).detail().contains("StackOverflowError"));
        assertEquals("05060708", deep.rawHex);
        Message nsid = ms.get(2);
        assertTrue(nsid.problems.isEmpty(), nsid.problems.toString());
        assertEquals(5, nsid.attrs.get("nsid").asInt());
    }
}
