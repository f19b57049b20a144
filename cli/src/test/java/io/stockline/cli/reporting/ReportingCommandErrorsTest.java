package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.cli.InProcessCli;
import org.junit.jupiter.api.Test;

/** What {@code connect} and {@code reconcile} say when they cannot do their job: one line, exit code 1. */
class ReportingCommandErrorsTest {

    @Test
    void connectWithoutADatabaseSaysWhichFlagIsMissing() {
        final InProcessCli.Result result = InProcessCli.run("", "connect", "--db-user", "root");

        assertFailedWith(result, "missing --jdbc-url");
    }

    @Test
    void databaseOtherThanMysqlOrMariadbIsRefused() {
        final InProcessCli.Result result = InProcessCli.run("", "reconcile", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1/reporting", "--db-user", "root");

        assertFailedWith(result, "must start with jdbc:mysql:// or jdbc:mariadb://");
    }

    @Test
    void connectToAnUnreachableDatabaseFailsBeforeItStartsAnything() {
        final InProcessCli.Result result = InProcessCli.run("", "connect", "--jdbc-url",
                "jdbc:mariadb://127.0.0.1:1/reporting", "--db-user", "root", "--bootstrap-servers", "127.0.0.1:1");

        assertFailedWith(result, "cannot use the database jdbc:mariadb://127.0.0.1:1/reporting as root");
    }

    @Test
    void reconcileOfADatabaseTheSinkNeverWroteSaysSo() {
        try (TestDatabase database = TestDatabase.create()) {
            final InProcessCli.Result result = InProcessCli.run("", "reconcile", "--jdbc-url",
                    database.mariadb().jdbcUrl(), "--db-user", "root", "--http-url", "http://127.0.0.1:1");

            assertFailedWith(result, "has 'stockline connect' written to this database?");
        }
    }

    private static void assertFailedWith(final InProcessCli.Result result, final String message) {
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.saidOneLine(), result.err());
        assertTrue(result.errLine().contains(message), result.errLine());
    }
}
