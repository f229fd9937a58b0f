package dev.pagewire.samples.monitor;

import java.util.List;

/**
 * What the server calls on monitor pages. Without {@code @PageInterface} the page object's name
 * is the interface's, lower-cased: {@code pagewire.expose("monitorUi", {show(rows) {...}})}.
 */
public interface MonitorUi {
    /** The pages open now, newest first. */
    void show(List<Monitor.Row> rows);
}
