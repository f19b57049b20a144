package io.stockline.cli;

import io.stockline.app.UserError;
import io.stockline.app.config.JdbcOptions;
import io.stockline.reporting.SinkDatabase;
import picocli.CommandLine.Mixin;

/** How the reporting commands reach the MySQL-compatible database: the JDBC flags, or their environment variables. */
final class DatabaseOptions {

    @Mixin
    private JdbcOptions jdbc;

    SinkDatabase database() {
        final String url = jdbc.url().or(() -> JdbcOptions.env("STOCKLINE_JDBC_URL")).filter(u -> !u.isBlank())
                .orElseThrow(() -> new UserError("missing --jdbc-url (or STOCKLINE_JDBC_URL), "
                        + "e.g. jdbc:mariadb://127.0.0.1:3306/reporting"));
        final String user = jdbc.user().or(() -> JdbcOptions.env("STOCKLINE_DB_USER")).filter(u -> !u.isBlank())
                .orElseThrow(() -> new UserError("missing --db-user (or STOCKLINE_DB_USER)"));
        final String password = jdbc.password().or(() -> JdbcOptions.env("STOCKLINE_DB_PASSWORD")).orElse("");
        return new SinkDatabase(url, user, password);
    }
}
