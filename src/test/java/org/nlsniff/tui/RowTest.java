package org.nlsniff.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nlsniff.app.Decoding;
import org.nlsniff.decode.Message;
import org.nlsniff.event.Event;
import org.nlsniff.frame.Frame;

/** The row of a link whose IFLA_IFNAME comes twice names it by the last copy, as the text does. */
class RowTest {
    @Test
    void aRepeatedNameIsShownByItsLastCopy() throws Exception {
        // RTM_NEWLINK, ifindex 7, IFLA_IFNAME "nlta" then IFLA_IFNAME "nltb"
        byte[] d = HexFormat.of().parseHex("38000000100000000000000000000000"
                + "00000100070000000000000000000000"
                + "090003006e6c746100000000" + "090003006e6c746200000000");
        List<Message> ms = Decoding.build(List.of()).decode(Frame.data(0, "t", 1, 0, null,
                ByteOrder.LITTLE_ENDIAN, d));
        Row r = Row.of(new Event(ms.get(0), List.of("7: nltb: <> "), null));
        assertEquals("nltb", r.object());
        assertEquals("nltb", r.dev());
    }
}
