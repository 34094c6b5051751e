package org.nlsniff.decode;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Text the decoder made from bytes in a form that needs no JSON escaping: hex digits, MAC and
 * IP addresses (ASCII letters, digits, {@code :} and {@code .}). A text node like any other;
 * the JSON writer copies it without looking at each character.
 */
public final class PlainText extends TextNode {
    private static final long serialVersionUID = 1L;

    PlainText(String v) {
        super(v);
    }
}
