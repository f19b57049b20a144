package io.stockline.app.config;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The JDBC flags, declared once for {@code connect}, {@code reconcile} and {@code bench}. Each command decides
 * what an absent flag means: the reporting commands read their environment variables and require a URL and a
 * user, the bench has a local MariaDB default.
 */
public final class JdbcOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "The database, jdbc:mysql://HOST:PORT/DB or jdbc:mariadb://HOST:PORT/DB. connect, reconcile: "
                    + "env STOCKLINE_JDBC_URL, required; bench (mysql): default "
                    + "jdbc:mariadb://127.0.0.1:3306/stockline_bench, created when missing, its bench_* tables "
                    + "dropped and recreated.")
    private String url;

    @Option(names = {"--db-user", "--jdbc-user"}, paramLabel = "USER",
            description = "The database account. connect, reconcile: env STOCKLINE_DB_USER, required; "
                    + "bench: default root.")
    private String user;

    @Option(names = {"--db-password", "--jdbc-password"}, paramLabel = "PASSWORD",
            description = "Its password; empty when not given. Prefer the environment variable (connect, reconcile: "
                    + "STOCKLINE_DB_PASSWORD; bench: STOCKLINE_BENCH_JDBC_PASSWORD): a flag shows in the process list.")
    private String password;

    /** The flag, empty when not given or blank. */
    public Optional<String> url() {
        return Optional.ofNullable(url).filter(value -> !value.isBlank());
    }

    /** The flag, empty when not given or blank. */
    public Optional<String> user() {
        return Optional.ofNullable(user).filter(value -> !value.isBlank());
    }

    /** The flag as given, an empty password included; empty when not given. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** An environment variable's value, for the command's fallbacks. */
    public static Optional<String> env(final String variable) {
        return Optional.ofNullable(System.getenv(variable));
    }
}
