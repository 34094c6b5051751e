package org.nlsniff.event;

import java.util.HashMap;
import java.util.Map;
import org.nlsniff.decode.Message;

/**
 * Generic netlink family id → name, learnt from the controller's replies (CTRL_CMD_NEWFAMILY
 * carries CTRL_ATTR_FAMILY_ID and CTRL_ATTR_FAMILY_NAME) in the same capture or stream: ids are
 * assigned at run time, so only the traffic itself can name them. Not thread-safe.
 */
public final class GenlFamilies {
    private static final int GENL_ID_CTRL = 16;
    private final Map<Long, String> names = new HashMap<>(Map.of((long) GENL_ID_CTRL, "nlctrl"));

    /** Learns from controller messages and names messages of known dynamic families. */
    public void observe(Message m) {
        if (m.frame.protocol() != 16 || m.type < 16) {
            return;
        }
        if (m.type == GENL_ID_CTRL) {
            long id = m.num(m.attrs, "family_id", -1);
            String name = Message.text(m.attrs, "family_name");
            if (id > 0 && name != null && !m.isRequest()) {
                names.put(id, name);
            }
        }
        m.genlFamily = names.get((long) m.type);
    }
}
