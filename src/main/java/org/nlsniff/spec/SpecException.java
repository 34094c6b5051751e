package org.nlsniff.spec;

/** A decoder spec that cannot be used; the message names the file (origin) and the place in it. */
public class SpecException extends Exception {
    public SpecException(String message) {
        super(message);
    }
}
