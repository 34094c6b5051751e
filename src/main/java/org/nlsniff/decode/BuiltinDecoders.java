package org.nlsniff.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.nlsniff.spec.AttrSet;
import org.nlsniff.spec.EnumDef;
import org.nlsniff.spec.Family;
import org.nlsniff.spec.Operation;

/**
 * The decoders nlsniff ships in Java, for what the YAML specs cannot say: RTA_MULTIPATH's array
 * of {@code struct rtnexthop} and the NLMSG_ERROR message. Stateless.
 */
public final class BuiltinDecoders implements DecoderProvider {
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    /** include/linux/err.h: the largest errno a kernel pointer or return value can carry. */
    private static final int MAX_ERRNO = 4095;

    @Override
    public void register(Registrar r) {
        r.attribute("rtnexthop-array", BuiltinDecoders::multipath);
        r.message(-1, 2, BuiltinDecoders::error);
        r.message(16, -1, BuiltinDecoders::genericFamily);
    }

    /**
     * RTA_MULTIPATH (include/uapi/linux/rtnetlink.h): a run of
     * <pre>
     * 0      2       3       4              8
     * +------+-------+-------+--------------+---------------------+
     * | len  | flags | hops  | ifindex (s32)| route attributes... |
     * +------+-------+-------+--------------+---------------------+
     * </pre>
     * each padded to 4; {@code weight} is {@code hops + 1} as ip prints it.
     */
    static JsonNode multipath(DecodeContext ctx, int start, int end) {
        ByteBuffer buf = ctx.buffer();
        ArrayNode hops = ctx.json().arrayNode();
        Family route = ctx.spec().family("rt-route");
        AttrSet attrs = route == null ? null : route.sets.get("route-attrs");
        EnumDef flagDef = route == null ? null : route.enums.get("rtnh-flags");
        int pos = start;
        while (end - pos >= 8) {
            if (!ctx.spend()) {
                ctx.tooMany(pos, end, "multipath");
                return hops;
            }
            int len = buf.getShort(pos) & 0xffff;
            if (len < 8 || len > end - pos) {
                ctx.problem("nexthop-length-invalid", pos, "rtnexthop length " + len
                        + " (needs 8.." + (end - pos) + ")");
                return hops;
            }
            ObjectNode nh = hops.addObject();
            int flags = buf.get(pos + 2) & 0xff;
            int hopCount = buf.get(pos + 3) & 0xff;
            nh.put("ifindex", buf.getInt(pos + 4));
            nh.put("weight", hopCount + 1);
            nh.set("flags", flagDef == null ? ctx.json().numberNode(flags)
                    : SpecDecoder.flagNames(flagDef, flags));
            if (attrs != null && len > 8) {
                nh.setAll(ctx.attributes(attrs, pos + 8, pos + len, "multipath"));
            }
            pos += Bytes.align4(len);
        }
        if (pos < end) {
            ctx.problem("trailing-bytes", pos, (end - pos) + " bytes after the last rtnexthop");
        }
        return hops;
    }

    private static final AttrSet NO_ATTRIBUTES = new AttrSet("none", null, java.util.List.of());

    /**
     * A message of a generic netlink family with a dynamic id (include/uapi/linux/genetlink.h):
     * the 4-byte genlmsghdr, then attributes no spec describes yet, kept as unknown entries
     * (lossless). The family's name is added later by an enricher that saw the controller's
     * CTRL_CMD_NEWFAMILY reply.
     */
    static void genericFamily(DecodeContext ctx, Message m, int start, int end) {
        Family genl = ctx.spec().family("genetlink");
        var hdr = genl == null ? null : genl.structs.get("genlmsghdr");
        if (hdr == null || end - start < hdr.size()) {
            if (hdr != null) {
                ctx.problem("header-truncated", start, "generic netlink message needs a "
                        + hdr.size() + "-byte genlmsghdr, only " + (end - start)
                        + " bytes; kept as hex");
            }
            m.rawHex = Bytes.hex(ctx.buffer(), start, end);
            return;
        }
        ctx.struct(hdr, start, start + hdr.size(), m.header);
        ctx.walk(NO_ATTRIBUTES, start + hdr.size(), end, m.attrs);
    }

    /**
     * NLMSG_ERROR (include/uapi/linux/netlink.h): {@code s32 error}, the echoed request's
     * nlmsghdr (and its payload unless NLM_F_CAPPED), then with NLM_F_ACK_TLVS the
     * extended-ack attributes ({@code nlmsgerr-attrs}). Error 0 is an ack.
     */
    static void error(DecodeContext ctx, Message m, int start, int end) {
        ByteBuffer buf = ctx.buffer();
        if (end - start < 4) {
            ctx.problem("header-truncated", start, "NLMSG_ERROR needs a 4-byte error code, only "
                    + (end - start) + " bytes");
            m.event = "error";
            return;
        }
        int errno = buf.getInt(start);
        m.event = errno == 0 ? "ack" : "error";
        m.header.put("error", errno);
        Family nl = ctx.spec().family("netlink");
        EnumDef names = nl == null ? null : nl.enums.get("errno");
        String name = names == null ? null : names.nameOf(-(long) errno);
        if (errno < -MAX_ERRNO) {
            // include/linux/err.h: an errno is 1..4095; no name fits a code beyond (and
            // -Integer.MIN_VALUE has no int), so the text shows the code alone.
            ctx.problem("error-code-out-of-range", start, "NLMSG_ERROR carries " + errno
                    + "; an errno is -1.." + -MAX_ERRNO);
        } else if (errno < 0) {
            m.header.put("errno", name != null ? name.toUpperCase(java.util.Locale.ROOT) : "E" + -errno);
        } else if (errno > 0) {
            ctx.problem("error-code-positive", start, "NLMSG_ERROR carries " + errno
                    + "; the kernel sends a negative errno or 0");
        }
        int echo = start + 4;
        if (end - echo < 16) {
            if (echo < end) {
                ctx.problem("header-truncated", echo, "echoed nlmsghdr needs 16 bytes, only "
                        + (end - echo) + "; kept as hex");
                m.rawHex = Bytes.hex(buf, echo, end);
            }
            return;
        }
        long len = buf.getInt(echo) & 0xffffffffL;
        int type = buf.getShort(echo + 4) & 0xffff;
        if (len < 16) {
            // An echoed request is at least its own header: anything after it cannot be placed.
            ctx.problem("echoed-length-invalid", echo, "echoed request claims nlmsg_len " + len
                    + ", below the 16-byte header; the rest is kept as hex");
            m.rawHex = Bytes.hex(buf, echo, end);
            return;
        }
        ObjectNode msg = m.header.putObject("msg");
        msg.put("nlmsg_len", len);
        Operation op = ctx.spec().operation(m.frame.protocol(), type);
        if (op != null) {
            msg.put("nlmsg_type", op.constant());
        } else {
            msg.put("nlmsg_type", type);
        }
        msg.put("nlmsg_flags", buf.getShort(echo + 6) & 0xffff);
        msg.put("nlmsg_seq", buf.getInt(echo + 8) & 0xffffffffL);
        msg.put("nlmsg_pid", buf.getInt(echo + 12) & 0xffffffffL);
        int after;
        if ((m.flags & NLM_F_CAPPED) != 0) {
            after = echo + 16;
        } else {
            long echoed = Math.max(16, len);
            boolean cut = echoed > end - echo;
            if (cut) {
                // Decoded as far as it goes, as a message running past its datagram is, so the
                // bytes that are there are kept.
                ctx.problem("attr-overruns-parent", echo, "echoed request of " + len
                        + " bytes runs past the message (" + (end - echo)
                        + " bytes left); decoded as far as it goes");
                echoed = end - echo;
            }
            after = Math.min(end, echo + Bytes.align4((int) echoed));
            if (echoed > 16) {
                // Decode the echoed request like any message, so the error shows what was asked.
                Message req = ctx.embedded(echo, echo + (int) echoed);
                msg.set("header", req.header);
                msg.set("attrs", req.attrs);
                for (var u : req.unknown) {
                    ((ObjectNode) u).put("path", "msg" + (u.has("path") ? "." + u.get("path").asText() : ""));
                    m.unknown.add(u);
                }
                m.problems.addAll(req.problems);
                if (req.rawHex != null) {
                    msg.put("payload_hex", req.rawHex);
                }
            }
        }
        if (after >= end) {
            return;
        }
        AttrSet ack = nl == null ? null : nl.sets.get("nlmsgerr-attrs");
        if ((m.flags & NLM_F_ACK_TLVS) != 0 && ack != null) {
            m.attrs.setAll(ctx.attributes(ack, after, end, ""));
        } else if ((m.flags & NLM_F_ACK_TLVS) != 0) {
            m.rawHex = Bytes.hex(buf, after, end);
        } else if (!SpecDecoder.allZero(buf, after, end)) {
            // Nothing announces bytes here (netlink_ack() adds them only with NLM_F_ACK_TLVS):
            // reported with their bytes, as the attribute walker keeps the rest of a set.
            ctx.problem("trailing-bytes", after, (end - after) + " bytes after the echoed request"
                    + ((m.flags & NLM_F_CAPPED) != 0 ? " header" : "")
                    + " without NLM_F_ACK_TLVS: " + Bytes.hex(buf, after, end));
        }
    }
}
