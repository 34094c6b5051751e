package org.nlsniff.frame;

/**
 * Something wrong with the bytes, reported in-band on an event instead of thrown.
 *
 * @param code stable kebab-case code, e.g. {@code attr-overruns-parent}
 * @param offset byte offset within the frame's datagram where the damage starts (-1 if none)
 * @param detail one human-readable sentence
 */
public record Problem(String code, int offset, String detail) {}
