package io.stockline.cli;

import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.UserError;
import io.stockline.schemas.EventTopic;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Contract topics by the name a person types. */
final class Topics {

    private Topics() {
    }

    static EventTopic contractTopic(final String name) {
        return EventTopic.byName(name).orElseThrow(() -> new UserError("unknown topic '" + name
                + "': expected one of " + Arrays.stream(EventTopic.values())
                .map(EventTopic::topicName)
                .collect(Collectors.joining(", "))));
    }

    /** The contract topic of that name, once the cluster is known to have it. */
    static EventTopic existingContractTopic(final String name, final KafkaClientConfig clients) {
        final EventTopic topic = contractTopic(name);
        try (KafkaAdmin admin = KafkaAdmin.connect(clients)) {
            admin.requireTopic(topic.topicName());
        }
        return topic;
    }
}
