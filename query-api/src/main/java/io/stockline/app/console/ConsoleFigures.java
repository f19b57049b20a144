package io.stockline.app.console;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /console/figures} and of each {@code figures} event: what the console's live part
 * shows, for the whole group.
 *
 * @param at          when these figures were made
 * @param servedBy    the instance that made them
 * @param feed        whether the outputs are being read: LIVE, STARTING, IDLE, or WAITING/FAILED with why
 * @param skipped     output records the console could not read since it started (counted, not shown)
 * @param window      the last minute, a point a second
 * @param consumerLag records the ledger has yet to read from its input and command topics, summed over
 *                    every partition; null when Kafka could not say
 * @param instances   every instance of the group Kafka Streams knows of, and whether it is ready
 */
public record ConsoleFigures(Instant at, String servedBy, String feed, long skipped, LiveWindow.Series window,
                             Long consumerLag, List<InstanceView> instances) {

    /**
     * One instance of the group.
     *
     * @param instance its {@code host:port}
     * @param streams  its Kafka Streams state, or UNREACHABLE
     * @param ready    whether it answers queries ({@code /ready} is 200)
     */
    public record InstanceView(String instance, String streams, boolean ready) {
    }
}
