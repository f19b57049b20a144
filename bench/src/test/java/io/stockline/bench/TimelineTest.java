package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long START = 5_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void countsDecisionsAndPercentilesPerSecondWithAnEmptySecondLeftWithoutLatency() {
        // Given a timeline with two decisions in second 0, none in second 1, one in second 2
        final Timeline timeline = new Timeline(TimeUnit.HOURS.toMicros(1));
        timeline.decided(START, START + 100, 1_000);
        timeline.decided(START, START + SECOND - 1, 3_000);
        timeline.decided(START, START + 2 * SECOND + 5, 7_000);

        // Then every second up to the last is there, the empty one without percentiles
        assertEquals(List.of(new Timeline.Second(0, 2, 1.0, 3.0), new Timeline.Second(1, 0, null, null),
                new Timeline.Second(2, 1, 7.0, 7.0)), timeline.seconds());
    }

    @Test
    void aDecisionThatReachesItAfterALaterOneCountsInTheLaterSecond() {
        final Timeline timeline = new Timeline(TimeUnit.HOURS.toMicros(1));
        timeline.decided(START, START + SECOND + 1, 2_000);
        timeline.decided(START, START + SECOND - 1, 4_000);

        assertEquals(List.of(new Timeline.Second(0, 0, null, null), new Timeline.Second(1, 2, 2.0, 4.0)),
                timeline.seconds());
    }

    @Test
    void anUntimedDecisionCountsButHasNoLatency() {
        final Timeline timeline = new Timeline(TimeUnit.HOURS.toMicros(1));
        timeline.decided(START, START, -1);

        assertEquals(List.of(new Timeline.Second(0, 1, null, null)), timeline.seconds());
    }
}
