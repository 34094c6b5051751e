package org.nlsniff.event;

import java.util.List;
import org.nlsniff.decode.Message;

/**
 * A decoded message with what enrichers added: the ip-style text lines and the namespace name.
 *
 * @param message the decoded message
 * @param lines text lines as ip monitor prints them (first line without label)
 * @param netns name of the source namespace when known, else null
 */
public record Event(Message message, List<String> lines, String netns) {

    /** The lines joined by single spaces (JSON's {@code summary}). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            String s = l.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(s);
        }
        return sb.toString();
    }
}
