package io.stockline.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheShortFormsAndIso8601() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("PT15M"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("pt15m"));
    }

    @Test
    void formatsBackToTheShortForm() {
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    }

    @Test
    void rejectsAnythingElseWithTheAcceptedForms() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));

        assertEquals("'soon' is not a duration (use e.g. 500ms, 30s, 15m, 2h, 1d or ISO-8601 PT15M)", e.getMessage());
    }
}
