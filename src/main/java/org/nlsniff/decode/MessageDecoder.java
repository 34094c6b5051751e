package org.nlsniff.decode;

/**
 * Decodes the payload (after the 16-byte nlmsghdr) of a whole message type that YAML cannot
 * describe, such as NLMSG_ERROR with its echoed request and extended ack. Same rules as
 * {@link AttributeDecoder}: stateless, bounded reads, problems instead of exceptions.
 */
@FunctionalInterface
public interface MessageDecoder {
    void decode(DecodeContext ctx, Message message, int start, int end);
}
