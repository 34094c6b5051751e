package org.nlsniff.spec;

import java.util.List;

/**
 * A fixed C struct ({@code ifinfomsg}, {@code rtnl_link_stats64}, ...): members in order, each of
 * fixed width.
 */
public record StructDef(String name, List<Field> members, int size) {

    /** Width in bytes of one member. */
    public static int width(Field f) {
        return f.type.width > 0 ? f.type.width : f.len;
    }
}
