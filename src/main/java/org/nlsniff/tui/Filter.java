package org.nlsniff.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code /} filter: words separated by spaces, all of which must match. A word is either
 * {@code field:value} ({@code netns:demo}, {@code dev:veth1}, {@code event:link.*},
 * {@code group:route}, {@code type:RTM_DELLINK}, {@code nsid:0} or {@code nsid:own}; {@code *}
 * matches any run of characters,
 * case-insensitive) or free text searched in every column and the summary. Immutable.
 */
public final class Filter {
    private record Term(String field, Pattern pattern, String text) {}

    private final String source;
    private final List<Term> terms;

    private Filter(String source, List<Term> terms) {
        this.source = source;
        this.terms = terms;
    }

    /** Accepts everything. */
    public static final Filter ALL = new Filter("", List.of());

    public static Filter parse(String text) {
        List<Term> terms = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            int colon = w.indexOf(':');
            String field = colon > 0 ? w.substring(0, colon).toLowerCase(Locale.ROOT) : null;
            if (field != null && List.of("netns", "dev", "event", "group", "type", "ns", "nsid").contains(field)) {
                terms.add(new Term(field, glob(w.substring(colon + 1)), null));
            } else {
                terms.add(new Term(null, null, w.toLowerCase(Locale.ROOT)));
            }
        }
        return new Filter(text.trim(), List.copyOf(terms));
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        String[] parts = g.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public String text() {
        return source;
    }

    public boolean matches(Row r) {
        for (Term t : terms) {
            boolean ok;
            if (t.field == null) {
                ok = (r.time() + " " + r.netns() + " " + r.name() + " " + r.object() + " "
                        + r.summary()).toLowerCase(Locale.ROOT).contains(t.text);
            } else {
                String v = switch (t.field) {
                    case "netns", "ns" -> r.netns();
                    case "dev" -> r.dev();
                    case "event" -> r.name();
                    case "group" -> r.group();
                    case "nsid" -> r.event().message().frame.nsid() == null ? "own"
                            : r.event().message().frame.nsid().toString();
                    default -> r.type();
                };
                ok = t.pattern.matcher(v).matches();
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
