package dev.pagewire.remoting;

import java.util.List;

/**
 * A decoded {@code POST call} body.
 *
 * @param calls  the calls, in the order the page made them
 * @param ack    the number of the last update the page applied, or {@code -1} when not sent
 * @param number the page's number for this batch ({@code "batch"}), so that a batch sent twice
 *               runs once; {@code -1} when not sent
 */
public record CallBatch(List<Call> calls, long ack, long number) {
}
