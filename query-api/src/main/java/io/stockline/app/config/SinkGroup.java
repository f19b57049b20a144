package io.stockline.app.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A reporting sink's consumer group and a topic it reads, whose lag {@code /metrics} reports. A Kafka Connect sink
 * connector named N reads as the group {@code connect-N}.
 *
 * @param group the consumer group
 * @param topic a topic the group reads
 */
public record SinkGroup(String group, String topic) {

    private static final String PAIR = "=";
    private static final String LIST = ",";

    public SinkGroup {
        require(group != null && !group.isBlank(), "a sink group needs a group name");
        require(topic != null && !topic.isBlank(), "sink group " + group + " needs a topic");
    }

    /** {@code GROUP=TOPIC[,GROUP=TOPIC...]}; blank is none. */
    public static List<SinkGroup> parseAll(final String text) {
        final List<SinkGroup> groups = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return groups;
        }
        for (final String pair : text.split(LIST)) {
            final String[] parts = pair.strip().split(PAIR, 2);
            require(parts.length == 2, "a sink group is GROUP=TOPIC, got '" + pair.strip() + "'");
            groups.add(new SinkGroup(parts[0].strip(), parts[1].strip()));
        }
        return groups;
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return group + PAIR + topic;
    }
}
