package org.nlsniff.event;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nlsniff.decode.Message;

/**
 * Generic netlink family id → name, learnt from the controller's replies (CTRL_CMD_NEWFAMILY
 * carries CTRL_ATTR_FAMILY_ID and CTRL_ATTR_FAMILY_NAME) in the same capture or stream: ids are
 * assigned at run time, so only the traffic itself can name them; CTRL_CMD_DELFAMILY forgets
 * its id. Not thread-safe.
 */
public final class GenlFamilies {
    private static final int GENL_ID_CTRL = 16;
    /**
     * Families kept: a machine has some tens; a crafted capture naming thousands of ids with
     * long names is held to this many (the one learnt longest ago goes first) and to
     * {@link LinkTable#MAX_NAME} characters a name (GENL_NAMSIZ makes a real one at most 15).
     */
    static final int MAX_FAMILIES = 4096;
    private final Map<Long, String> names = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_FAMILIES;
        }
    };

    /** Learns from controller messages and names messages of known dynamic families. */
    public void observe(Message m) {
        if (m.frame.protocol() != 16 || m.type < 16) {
            return;
        }
        if (m.type == GENL_ID_CTRL && !m.isRequest()) {
            long id = m.num(m.attrs, "family_id", -1);
            String name = Message.text(m.attrs, "family_name");
            // The controller's own id is fixed (the kernel's GENL_ID_CTRL, always "nlctrl"):
            // dynamic ids come after it, and no reply can rename it.
            if (id > GENL_ID_CTRL && id <= 0xffff) {
                if ("delfamily".equals(m.header.path("cmd").asText())) {
                    names.remove(id);
                } else if (name != null) {
                    names.remove(id); // learnt again: the newest
                    names.put(id, LinkTable.cut(name));
                }
            }
        }
        String name = names.get((long) m.type);
        m.genlFamily = name == null && m.type == GENL_ID_CTRL ? "nlctrl" : name;
    }

    /** Number of families learnt from the stream. */
    int size() {
        return names.size();
    }
}
