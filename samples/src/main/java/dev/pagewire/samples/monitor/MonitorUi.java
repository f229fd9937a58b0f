package dev.pagewire.samples.monitor;

/**
 * What the server calls on monitor pages. Without {@code @PageInterface} the page object's name
 * is the interface's, lower-cased: {@code pagewire.expose("monitorUi", {show(list) {...}})}.
 */
public interface MonitorUi {
    /** The pages one node holds now, newest first. */
    void show(Monitor.NodePages list);
}
