package org.nlsniff.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;
import java.util.Map;

/**
 * Draws the UI state onto a Lanterna {@link TextGraphics} of any size (the real screen, or a
 * virtual terminal in tests). Stateless apart from what it is given; called on the UI thread.
 *
 * <pre>
 * ┌ nlsniff  live groups link,addr,route,nsid   412 events  3.2/s  overruns 0  dropped 0 FOLLOW ┐
 * │ TIME            NETNS     EVENT        OBJECT             SUMMARY                          │
 * │ 18:23:56.055942 own       link.new     nlhveth1           64: nlhveth1@NONE: &lt;BROADCAST…   │
 * │ ...  (green new, red deleted, magenta moved, yellow problems; selected row reversed)       │
 * │ link 11  addr 16  route 36  nsid 3 | own 80  nlhdemo 9                                     │
 * └ / filter  space pause  enter detail  w write  ? help  q quit                               ┘
 * </pre>
 *
 * The detail view replaces the table: the decoded tree above, the message's hex below with the
 * selected line's bytes highlighted.
 */
final class Painter {
    private Painter() {}

    static TextColor colour(Row.Kind k) {
        return switch (k) {
            case NEW -> TextColor.ANSI.GREEN;
            case DEL -> TextColor.ANSI.RED;
            case MOVE -> TextColor.ANSI.MAGENTA;
            case PROBLEM -> TextColor.ANSI.YELLOW;
            default -> TextColor.ANSI.DEFAULT;
        };
    }

    static void draw(TextGraphics g, TerminalSize size, Ui ui) {
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.fill(' ');
        int w = size.getColumns();
        int h = size.getRows();
        if (w < 20 || h < 6) {
            g.putString(0, 0, "terminal too small");
            return;
        }
        ViewModel vm = ui.model();
        status(g, w, ui);
        if (ui.detail() != null) {
            detail(g, w, h, ui);
        } else {
            table(g, w, h, vm);
        }
        footer(g, w, h, ui);
        if (ui.helpShown()) {
            help(g, w, h);
        }
    }

    private static void status(TextGraphics g, int w, Ui ui) {
        ViewModel vm = ui.model();
        // Flags first: at 80 columns the end of the line may be cut.
        String s = "nlsniff " + (vm.paused() ? "PAUSED " + vm.waiting() + " waiting" : "")
                + (!vm.paused() && vm.following() ? "FOLLOW" : "") + "  " + ui.source() + "  "
                + vm.total() + " events " + String.format("%.1f/s", ui.rate()) + "  overruns "
                + vm.overruns() + " dropped " + vm.dropped();
        g.enableModifiers(SGR.REVERSE);
        g.putString(0, 0, fit(s, w));
        g.disableModifiers(SGR.REVERSE);
    }

    private static void table(TextGraphics g, int w, int h, ViewModel vm) {
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 1, fit(String.format("%-15s %-10s %-12s %-18s %s", "TIME", "NETNS", "EVENT",
                "OBJECT", "SUMMARY"), w));
        g.disableModifiers(SGR.BOLD);
        int rows = h - 4;
        List<Row> vis = vm.visible();
        int sel = vm.selected();
        int first = Math.max(0, Math.min(vis.size() - rows, sel - rows + 1));
        if (sel >= 0 && sel < first) {
            first = sel;
        }
        for (int i = 0; i < rows && first + i < vis.size(); i++) {
            Row r = vis.get(first + i);
            g.setForegroundColor(colour(r.kind()));
            if (first + i == sel) {
                g.enableModifiers(SGR.REVERSE);
            }
            g.putString(0, 2 + i, fit(String.format("%-15s %-10s %-12s %-18s %s", r.time(),
                    cut(r.netns(), 10), cut(r.name(), 12), cut(r.object(), 18), r.summary()), w));
            g.disableModifiers(SGR.REVERSE);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<String, Long> e : vm.perGroup().entrySet()) {
            counts.append(e.getKey()).append(' ').append(e.getValue()).append("  ");
        }
        counts.append("|");
        for (Map.Entry<String, Long> e : vm.perNetns().entrySet()) {
            counts.append("  ").append(e.getKey()).append(' ').append(e.getValue());
        }
        g.putString(0, h - 2, fit(counts.toString(), w));
    }

    private static void detail(TextGraphics g, int w, int h, Ui ui) {
        List<Detail.Line> lines = ui.detail().lines();
        int treeRows = Math.max(3, (h - 3) / 2);
        int sel = ui.detailLine();
        int first = Math.max(0, Math.min(sel - treeRows / 2, lines.size() - treeRows));
        for (int i = 0; i < treeRows && first + i < lines.size(); i++) {
            if (first + i == sel) {
                g.enableModifiers(SGR.REVERSE);
            }
            g.putString(0, 1 + i, fit(lines.get(first + i).text(), w));
            g.disableModifiers(SGR.REVERSE);
        }
        Detail.Line cur = sel >= 0 && sel < lines.size() ? lines.get(sel) : null;
        var m = cur != null && cur.message() != null ? cur.message() : ui.detailMessage();
        if (m == null || m.frame == null) {
            return;
        }
        byte[] d = m.frame.data();
        int start = Math.max(0, m.offset);
        int end = Math.min(d.length, m.offset + Math.max(m.length, 0));
        int top = 1 + treeRows;
        g.putString(0, top, fit("bytes " + (end - start) + " (offsets in the datagram)", w));
        int hexRows = h - 2 - top - 1;
        int firstByte = start;
        if (cur != null && cur.from() >= start) {
            // keep the highlighted bytes in view
            int line = (cur.from() - start) / 16;
            firstByte = start + Math.max(0, line - hexRows / 2) * 16;
        }
        for (int r = 0; r < hexRows && firstByte + r * 16 < end; r++) {
            int off = firstByte + r * 16;
            g.putString(0, top + 1 + r, String.format("%04x ", off));
            for (int i = 0; i < 16 && off + i < end; i++) {
                boolean hi = cur != null && cur.message() == m && off + i >= cur.from() && off + i < cur.to();
                if (hi) {
                    g.enableModifiers(SGR.REVERSE);
                    g.setForegroundColor(TextColor.ANSI.YELLOW);
                }
                int col = 5 + i * 3;
                if (col + 2 <= w) {
                    g.putString(col, top + 1 + r, String.format("%02x", d[off + i] & 0xff));
                }
                g.disableModifiers(SGR.REVERSE);
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
    }

    private static void footer(TextGraphics g, int w, int h, Ui ui) {
        String s;
        if (ui.editing()) {
            s = "/" + ui.filterText() + "_   (" + ui.model().visible().size() + " match)   enter apply  esc clear";
        } else if (ui.message() != null) {
            s = ui.message();
        } else if (ui.detail() != null) {
            s = "up/down select  esc back  q quit";
        } else {
            Filter f = ui.model().filter();
            s = (f.isEmpty() ? "" : "filter: " + f.text() + " (" + ui.model().visible().size() + " match)  ")
                    + "/ filter  space pause  enter detail  w write  ? help  q quit" + ui.paceHint();
        }
        g.enableModifiers(SGR.REVERSE);
        g.putString(0, h - 1, fit(s, w));
        g.disableModifiers(SGR.REVERSE);
    }

    static final List<String> HELP = List.of(
            "keys",
            "  up/down pgup/pgdn home/end   move (leaving the tail stops following it)",
            "  /          filter: words, and netns:NAME dev:NAME event:link.* group:route",
            "             type:RTM_DELLINK nsid:0 nsid:own (* matches anything); esc clears",
            "  space      pause / resume (events keep arriving and wait)",
            "  enter      detail: decoded tree and highlighted bytes; esc back",
            "  w          write the events in view (after the filter) as JSON lines",
            "  f r n      replay: as fast as possible, real time (again: x2, x10), next step",
            "  ?          this help      q  quit");

    private static void help(TextGraphics g, int w, int h) {
        int top = Math.max(1, (h - HELP.size()) / 2 - 1);
        for (int i = 0; i < HELP.size() && top + i < h - 1; i++) {
            g.enableModifiers(SGR.REVERSE);
            g.putString(0, top + i, fit(HELP.get(i), w));
            g.disableModifiers(SGR.REVERSE);
        }
    }

    static String fit(String s, int w) {
        if (s.length() >= w) {
            return s.substring(0, Math.max(0, w - 1)) + (w > 0 ? "…" : "");
        }
        return s + " ".repeat(w - s.length());
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
