package org.nlsniff.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.Message;
import org.nlsniff.decode.SpecDecoder;
import org.nlsniff.frame.Frame;

/**
 * The enrichers' memory is bounded whatever a capture names: links per namespace and in all,
 * generic netlink families, and the length of every name they keep.
 */
class LinkTableTest {
    private static SpecDecoder decoder;

    @BeforeAll
    static void specs() throws Exception {
        decoder = Decoding.build(List.of());
    }

    /** One netlink message (host order little-endian) of {@code type} with {@code payload}. */
    private static Message decode(int protocol, Integer nsid, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + ((payload.length + 3) & ~3))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16 + payload.length).putShort((short) type).putShort((short) 0).putInt(0).putInt(0);
        b.put(payload);
        Frame f = Frame.data(0, "t", 1, protocol, nsid, ByteOrder.LITTLE_ENDIAN, b.array());
        return decoder.decode(f).get(0);
    }

    private static byte[] attr(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + ((value.length + 3) & ~3)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        return b.array();
    }

    private static byte[] cString(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(t, t.length + 1);
    }

    /** RTM_NEWLINK for {@code index} named {@code name}. */
    private static Message newLink(Integer nsid, int index, String name) {
        byte[] a = attr(3, cString(name));
        ByteBuffer b = ByteBuffer.allocate(16 + a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(index).putInt(0).putInt(0).put(a);
        return decode(0, nsid, 16, b.array());
    }

    @Test
    void aLongNameIsKeptCutToMaxName() {
        LinkTable t = new LinkTable();
        Message m = newLink(null, 7, "N".repeat(64_000));
        t.observe(m);
        assertEquals(64_000, Message.text(m.attrs, "ifname").length()); // the event keeps it all
        assertEquals("N".repeat(LinkTable.MAX_NAME), t.name(null, 7));
        // A surrogate pair across the cut is not split.
        t.observe(newLink(null, 8, "N".repeat(LinkTable.MAX_NAME - 1) + "\ud83d\ude00"));
        assertEquals("N".repeat(LinkTable.MAX_NAME - 1), t.name(null, 8));
    }

    @Test
    void aNamespaceKeepsAtMostMaxPerNamespaceLinksDroppingTheOldest() {
        LinkTable t = new LinkTable();
        int n = LinkTable.MAX_PER_NAMESPACE + 10;
        for (int i = 1; i <= n; i++) {
            t.observe(newLink(5, 1000 + i, "l" + i));
        }
        assertEquals(LinkTable.MAX_PER_NAMESPACE, t.size());
        assertNull(t.get(5, 1001));
        assertEquals("if1010", t.name(5, 1010));
        assertEquals("l11", t.name(5, 1011));
        assertEquals("l" + n, t.name(5, 1000 + n));
    }

    @Test
    void allNamespacesTogetherKeepAtMostMaxTotalLinksTheLeastRecentNamespaceGivingUpFirst() {
        LinkTable t = new LinkTable();
        int per = LinkTable.MAX_PER_NAMESPACE;
        int namespaces = LinkTable.MAX_TOTAL / per + 1;
        for (int ns = 0; ns < namespaces; ns++) {
            for (int i = 1; i <= per; i++) {
                t.observe(newLink(ns, i, "n" + ns + "-" + i));
            }
        }
        assertEquals(LinkTable.MAX_TOTAL, t.size());
        assertNull(t.get(0, per)); // the first namespace's links went first
        assertEquals("n" + (namespaces - 1) + "-1", t.name(namespaces - 1, 1));
        assertNotNull(t.get(1, 1));
        // Thousands of namespaces of one link each stay within the total too.
        for (int ns = 100; ns < 100 + LinkTable.MAX_TOTAL; ns++) {
            t.observe(newLink(ns, 2, "x"));
        }
        assertEquals(LinkTable.MAX_TOTAL, t.size());
    }

    /** A controller reply (CTRL_CMD_NEWFAMILY) naming family {@code id}. */
    private static Message newFamily(int id, String name) {
        byte[] idAttr = attr(1, new byte[] {(byte) id, (byte) (id >> 8)});
        byte[] nameAttr = attr(2, cString(name));
        ByteBuffer b = ByteBuffer.allocate(4 + idAttr.length + nameAttr.length);
        b.put((byte) 1).put((byte) 2).putShort((short) 0).put(idAttr).put(nameAttr);
        return decode(16, null, 16, b.array());
    }

    @Test
    void genlFamiliesKeepAtMostMaxFamiliesWithNamesCut() {
        GenlFamilies g = new GenlFamilies();
        int n = GenlFamilies.MAX_FAMILIES + 10;
        for (int i = 0; i < n; i++) {
            g.observe(newFamily(100 + i, "F".repeat(64_000) + i));
        }
        assertEquals(GenlFamilies.MAX_FAMILIES, g.size());
        Message first = decode(16, null, 100, new byte[] {1, 1, 0, 0});
        g.observe(first);
        assertNull(first.genlFamily);
        Message last = decode(16, null, 100 + n - 1, new byte[] {1, 1, 0, 0});
        g.observe(last);
        assertEquals("F".repeat(LinkTable.MAX_NAME), last.genlFamily);
        Message ctrl = newFamily(200, "x");
        g.observe(ctrl);
        assertEquals("nlctrl", ctrl.genlFamily);
    }
}
