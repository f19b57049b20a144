package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SinkDatabaseTest {

    @Test
    void onlyMysqlAndMariadbUrlsAreTaken() {
        new SinkDatabase("jdbc:mysql://db:3306/reporting", "u", "");
        new SinkDatabase("jdbc:mariadb://db:3306/reporting", "u", "");

        assertThrows(IllegalArgumentException.class, () -> new SinkDatabase("jdbc:postgresql://db/r", "u", ""));
        assertThrows(IllegalArgumentException.class, () -> new SinkDatabase("jdbc:mysql://db/r", " ", ""));
    }

    @Test
    void mysqlDriverOnAMariadbServerIsKnownToDropMilliseconds() {
        final SinkDatabase mysql = new SinkDatabase("jdbc:mysql://db:3306/reporting", "u", "");
        final SinkDatabase mariadb = new SinkDatabase("jdbc:mariadb://db:3306/reporting", "u", "");

        assertTrue(mysql.truncatesTimesOn("MySQL 10.11.19-MariaDB-0+deb12u1"));
        assertFalse(mysql.truncatesTimesOn("MySQL 8.4.3"));
        assertFalse(mariadb.truncatesTimesOn("MariaDB 10.11.19-MariaDB-0+deb12u1"));
    }

    @Test
    void sinkLooksForItsTablesInItsOwnDatabaseOnly() {
        assertEquals("jdbc:mysql://db/r?nullDatabaseMeansCurrent=true",
                new SinkDatabase("jdbc:mysql://db/r", "u", "").sinkJdbcUrl());
        assertEquals("jdbc:mariadb://db/r?useSsl=true&nullDatabaseMeansCurrent=true",
                new SinkDatabase("jdbc:mariadb://db/r?useSsl=true", "u", "").sinkJdbcUrl());
        assertEquals("jdbc:mariadb://db/r?nullDatabaseMeansCurrent=false",
                new SinkDatabase("jdbc:mariadb://db/r?nullDatabaseMeansCurrent=false", "u", "").sinkJdbcUrl());
    }

    @Test
    void passwordNeverShowsInText() {
        assertFalse(new SinkDatabase("jdbc:mysql://db/r", "u", "s3cret").toString().contains("s3cret"));
    }
}
