package org.nlsniff.tui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the terminal UI shows, without any Lanterna: a bounded ring of rows, the filter and its
 * matches, the selection and scroll position (following the tail unless the user moved up),
 * pause, and the counters of the status bar. Owned by the UI thread only.
 */
public final class ViewModel {
    private final int capacity;
    private final Deque<Row> rows = new ArrayDeque<>();
    private final List<Row> visible = new ArrayList<>();
    private final Deque<Row> waiting = new ArrayDeque<>();
    private Filter filter = Filter.ALL;
    private int selected = -1;
    private boolean follow = true;
    private boolean paused;
    private long droppedFromView;
    private long overruns;
    private long total;
    private final Map<String, Long> perGroup = new TreeMap<>();
    private final Map<String, Long> perNetns = new TreeMap<>();

    public ViewModel(int capacity) {
        this.capacity = capacity;
    }

    /** Adds events (one UI tick's batch). While paused they wait, up to the capacity. */
    public void add(List<Row> batch) {
        for (Row r : batch) {
            total++;
            perGroup.merge(r.group(), 1L, Long::sum);
            perNetns.merge(r.netns(), 1L, Long::sum);
            if ("overrun".equals(r.name())) {
                overruns++;
            }
            if (paused) {
                waiting.addLast(r);
                if (waiting.size() > capacity) {
                    waiting.removeFirst();
                    droppedFromView++;
                }
            } else {
                show(r);
            }
        }
        if (follow && !visible.isEmpty()) {
            selected = visible.size() - 1;
        }
    }

    private void show(Row r) {
        rows.addLast(r);
        if (filter.matches(r)) {
            visible.add(r);
        }
        if (rows.size() > capacity) {
            Row gone = rows.removeFirst();
            droppedFromView++;
            if (!visible.isEmpty() && visible.get(0) == gone) {
                visible.remove(0);
                selected = Math.max(selected - 1, visible.isEmpty() ? -1 : 0);
            }
        }
    }

    /** Counts events the reader could not hand over (queue full): they never reached the view. */
    public void droppedBeforeView(long n) {
        droppedFromView += n;
    }

    public void setFilter(Filter f) {
        Row keep = selectedRow();
        filter = f;
        visible.clear();
        for (Row r : rows) {
            if (f.matches(r)) {
                visible.add(r);
            }
        }
        selected = keep != null && visible.contains(keep) ? visible.indexOf(keep) : visible.size() - 1;
        follow = keep == null || selected == visible.size() - 1;
    }

    public Filter filter() {
        return filter;
    }

    public void togglePause() {
        paused = !paused;
        if (!paused) {
            while (!waiting.isEmpty()) {
                show(waiting.removeFirst());
            }
            if (follow && !visible.isEmpty()) {
                selected = visible.size() - 1;
            }
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Moves the selection; moving up stops following the tail, reaching the end resumes it. */
    public void move(int delta) {
        if (visible.isEmpty()) {
            return;
        }
        selected = Math.max(0, Math.min(visible.size() - 1, (selected < 0 ? visible.size() - 1 : selected) + delta));
        follow = selected == visible.size() - 1;
    }

    public void end() {
        move(Integer.MAX_VALUE / 2);
    }

    public void home() {
        move(-Integer.MAX_VALUE / 2);
    }

    public List<Row> visible() {
        return visible;
    }

    public int selected() {
        return selected;
    }

    public Row selectedRow() {
        return selected >= 0 && selected < visible.size() ? visible.get(selected) : null;
    }

    public boolean following() {
        return follow;
    }

    public int waiting() {
        return waiting.size();
    }

    public long dropped() {
        return droppedFromView;
    }

    public long overruns() {
        return overruns;
    }

    public long total() {
        return total;
    }

    public Map<String, Long> perGroup() {
        return perGroup;
    }

    public Map<String, Long> perNetns() {
        return perNetns;
    }
}
