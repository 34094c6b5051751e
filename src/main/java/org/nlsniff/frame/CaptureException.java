package org.nlsniff.frame;

import java.io.IOException;

/**
 * A capture file that cannot be read further (or at all). The message is one line naming the
 * file, the frame number and the byte offset, ready to print for the user.
 */
public class CaptureException extends IOException {
    public CaptureException(String message) {
        super(message);
    }
}
