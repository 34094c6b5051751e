package org.nlsniff.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.nlsniff.frame.Frame;
import org.nlsniff.spec.SpecException;
import org.nlsniff.spec.SpecLoader;

/** A test family of our own beside the bundled specs, and single messages to decode with it. */
final class TestSpecs {
    private TestSpecs() {}

    /** The bundled specs plus {@code yaml} written as {@code dir/name}. */
    static SpecDecoder withFamily(Path dir, String name, String yaml)
            throws IOException, SpecException {
        Files.writeString(dir.resolve(name), yaml);
        var decoders = Decoders.load(TestSpecs.class.getClassLoader());
        return new SpecDecoder(new SpecLoader(decoders.attributeNames()).addDefaults()
                .addDirectory(dir).build(), decoders);
    }

    /** One message of type 20 of {@code protocol} holding the given attribute bytes. */
    static Message message(SpecDecoder decoder, int protocol, String attrsHex) {
        return message(decoder, protocol, attrsHex, ByteOrder.LITTLE_ENDIAN);
    }

    /** The same from a host of the given byte order (the attribute bytes already in it). */
    static Message message(SpecDecoder decoder, int protocol, String attrsHex, ByteOrder order) {
        byte[] attrs = HexFormat.of().parseHex(attrsHex.replace(" ", ""));
        ByteBuffer b = ByteBuffer.allocate(16 + attrs.length).order(order);
        b.putInt(16 + attrs.length).putShort((short) 20).putShort((short) 0).putInt(0).putInt(0)
                .put(attrs);
        List<Message> ms = decoder.decode(Frame.data(0, "t", 1, protocol, null, order, b.array()));
        assertEquals(1, ms.size());
        return ms.get(0);
    }

    /** The {@code attrs} object as the JSON-lines sink renders it, without reading any entry first. */
    static String renderedAttrs(Message m) {
        org.nlsniff.sink.JsonLinesSink.prerender(m);
        String body = new String(m.rendered, java.nio.charset.StandardCharsets.UTF_8);
        int from = body.indexOf("\"attrs\":") + "\"attrs\":".length();
        int to = body.indexOf(",\"unknown\":");
        return body.substring(from, to);
    }
}
