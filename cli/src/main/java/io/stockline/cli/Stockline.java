package io.stockline.cli;

import io.stockline.app.Errors;
import io.stockline.bench.BenchCommand;
import io.stockline.bench.QueryBenchCommand;
import io.stockline.app.service.TopologyFactory;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code stockline} command line: the service and the tools around it. */
@Command(name = "stockline",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Stockline.Version.class,
        description = "A stock ledger for online shops, built on Kafka Streams.",
        subcommands = {RunCommand.class, ProduceCommand.class, ConsumeCommand.class, TopicsCommand.class,
                ConnectCommand.class, ReconcileCommand.class,
                BenchCommand.class,
                QueryBenchCommand.class, BrokerCommand.class,
                CommandLine.HelpCommand.class})
public final class Stockline implements Callable<Integer> {

    private static final List<String> VERBOSE_FLAGS = List.of("-v", "--verbose");

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log Kafka and Jetty at INFO too, and print stack traces with errors.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    private final InputStream stdin;
    private final TopologyFactory topologies;

    public Stockline(final InputStream stdin, final TopologyFactory topologies) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.topologies = Objects.requireNonNull(topologies, "topologies");
    }

    public static void main(final String[] args) {
        if (verbose(List.of(args))) {
            // Must happen before the first logger exists: slf4j-simple reads its settings once.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.io.stockline.app.service.LedgerStreams", "info");
        }
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(commandLine(System.in, out, err, TopologyFactory.ledger()).execute(args));
    }

    /** The command line wired to the given streams, so tests can run every command in-process. */
    public static CommandLine commandLine(final InputStream stdin, final PrintWriter out, final PrintWriter err,
                                         final TopologyFactory topologies) {
        final CommandLine commandLine = new CommandLine(new Stockline(stdin, topologies));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Stockline::onFailure);
        commandLine.setParameterExceptionHandler(Stockline::onBadUsage);
        return commandLine;
    }

    public InputStream stdin() {
        return stdin;
    }

    public TopologyFactory topologies() {
        return topologies;
    }

    public static String version() {
        final String version = Stockline.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    private static int onFailure(final Exception error, final CommandLine command, final ParseResult parsed) {
        command.getErr().println("stockline: " + Errors.oneLine(error));
        if (verbose(parsed.originalArgs())) {
            error.printStackTrace(command.getErr());
        }
        return 1;
    }

    private static int onBadUsage(final CommandLine.ParameterException error, final String[] args) {
        final CommandLine command = error.getCommandLine();
        command.getErr().println("stockline: " + Errors.flatten(error.getMessage())
                + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean verbose(final List<String> args) {
        for (final String arg : args) {
            if ("--".equals(arg)) {
                return false;
            }
            if (VERBOSE_FLAGS.contains(arg)) {
                return true;
            }
        }
        return false;
    }

    /** {@code stockline --version}: the version the jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stockline " + version()};
        }
    }
}
