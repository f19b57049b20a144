package io.stockline.cli;

import io.stockline.app.service.TopologyFactory;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs {@code stockline} commands in this JVM with captured stdin, stdout and stderr. */
public final class InProcessCli {

    private InProcessCli() {
    }

    public static Result run(final String stdin, final String... args) {
        return run(TopologyFactory.ledger(), stdin, args);
    }

    public static Result run(final TopologyFactory topologies, final String stdin, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = Stockline.commandLine(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), topologies).execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * What a command did.
     *
     * @param exitCode the process exit code it would have had
     * @param out      everything it printed to stdout
     * @param err      everything it printed to stderr
     */
    public record Result(int exitCode, String out, String err) {

        public String errLine() {
            return err.strip();
        }

        /** Exactly one line on stderr, and no stack trace in it. */
        public boolean saidOneLine() {
            return !err.isBlank() && err.strip().lines().count() == 1 && !err.contains("\tat ");
        }
    }
}
