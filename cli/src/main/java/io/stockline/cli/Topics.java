package io.stockline.cli;

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
}
