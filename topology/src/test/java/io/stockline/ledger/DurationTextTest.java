package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"2592000000, 30d", "5400000, 90m", "3600000, 1h", "90000, 90s", "1500, 1500ms", "0, 0s"})
    void theLargestUnitThatDividesItExactly(final long millis, final String text) {
        assertEquals(text, DurationText.of(Duration.ofMillis(millis)));
    }
}
