package io.stockline.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveWindowTest {

    private static final long NOW = 1_800_000_000L;

    private final LiveWindow window = new LiveWindow();

    @Test
    void eachCountLandsInItsOwnSecondOfTheLastMinute() {
        window.outcome(NOW - 1, "RESERVED");
        window.outcome(NOW - 1, "RESERVED");
        window.outcome(NOW - 3, "REJECTED");
        window.rollback(NOW - 2, "EXPIRED");
        window.deadLetter(NOW - 60, "MALFORMED_RECORD");

        final LiveWindow.Series series = window.series(NOW);

        assertEquals(LiveWindow.SECONDS, series.seconds().size());
        assertEquals(NOW - 60, series.seconds().get(0));
        assertEquals(NOW - 1, series.seconds().get(59));
        assertEquals(2L, series.outcomes().get("RESERVED").get(59));
        assertEquals(1L, series.outcomes().get("REJECTED").get(57));
        assertEquals(1L, series.rollbacks().get("EXPIRED").get(58));
        assertEquals(1L, series.deadLetters().get("MALFORMED_RECORD").get(0));
        assertEquals(2L, series.outcomes().get("RESERVED").stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void theCurrentSecondIsNotShownUntilItIsWhole() {
        window.outcome(NOW, "RESERVED");

        assertTrue(window.series(NOW).outcomes().isEmpty());
        assertEquals(1L, window.series(NOW + 1).outcomes().get("RESERVED").get(59));
    }

    @Test
    void aSecondOlderThanAMinuteIsForgottenAndItsSlotStartsAfresh() {
        window.outcome(NOW - 1, "RESERVED");
        window.outcome(NOW - 1 + LiveWindow.SECONDS, "REJECTED");

        final LiveWindow.Series series = window.series(NOW + LiveWindow.SECONDS);

        assertEquals(null, series.outcomes().get("RESERVED"), "the old second is gone");
        assertEquals(1L, series.outcomes().get("REJECTED").get(59));
    }

    @Test
    void aCountForASecondTheRingHasMovedPastIsDropped() {
        window.outcome(NOW - 1, "RESERVED");
        window.outcome(NOW - 1 - LiveWindow.SECONDS, "REJECTED");

        final LiveWindow.Series series = window.series(NOW);

        assertEquals(1L, series.outcomes().get("RESERVED").get(59), "the newer second was not reset");
        assertNull(series.outcomes().get("REJECTED"));
    }

    @Test
    void latencyPercentilesAreReadToWithinFivePerCentAndNeverBelow() {
        for (int millis = 1; millis <= 1000; millis++) {
            window.latency(NOW - 1, millis);
        }

        final LiveWindow.Series series = window.series(NOW);

        final long p50 = series.latencyP50().get(59);
        final long p99 = series.latencyP99().get(59);
        assertTrue(p50 >= 500 && p50 <= 525, "p50 " + p50);
        assertTrue(p99 >= 990 && p99 <= 1040, "p99 " + p99);
    }

    @Test
    void aSecondWithNoDecisionHasNoLatencyNotZero() {
        window.latency(NOW - 2, -5);

        final List<Long> p50 = window.series(NOW).latencyP50();

        assertEquals(0L, p50.get(58), "a negative latency (clock skew) counts as 0");
        assertNull(p50.get(59));
        assertEquals(Collections.nCopies(58, (Long) null), p50.subList(0, 58));
    }
}
