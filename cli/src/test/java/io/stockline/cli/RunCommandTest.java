package io.stockline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.cli.Stockline;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.config.SinkGroup;
import io.stockline.app.service.TopologyFactory;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import io.stockline.topology.LedgerConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

    @Test
    void withoutFlagsTheServiceUsesTheDocumentedDefaults() {
        final ServiceConfig config = parse();

        assertEquals(Path.of("data"), config.dataDir());
        assertTrue(config.embeddedKafka());
        assertEquals(9092, config.kafkaPort());
        assertEquals(6, config.partitions());
        assertEquals(8080, config.httpPort());
        assertEquals("127.0.0.1", config.httpHost());
        assertEquals("127.0.0.1", config.advertisedHost());
        assertEquals("stockline", config.applicationId());
        assertEquals(1, config.standbyReplicas());
        assertEquals(LedgerConfig.DEFAULT_HOLD, config.defaultHold());
        assertEquals(LedgerConfig.DEFAULT_ORPHAN_GRACE, config.orphanGrace());
        assertEquals(Duration.ofDays(30), config.orderRetention());
        assertEquals(Duration.ofDays(30), config.ledgerConfig().retention());
        assertEquals(DeductOn.PAYMENT, config.ledgerConfig().deductOn());
        assertEquals(AllocationPolicy.DEFAULT, config.ledgerConfig().allocation());
    }

    @Test
    void locationsAndSplitLinesReachTheLedgerInTheirOrder() {
        final ServiceConfig config = parse("--locations", "berlin, paris,3pl", "--split-lines");

        assertEquals(new AllocationPolicy(List.of("berlin", "paris", "3pl"), true), config.ledgerConfig().allocation());
        assertEquals(new AllocationPolicy(List.of("paris"), false), parse("--locations", "paris").allocation());
    }

    @Test
    void locationsAndSplitLinesAreReadFromTheEnvironmentAndAreDefaultUnsplitWithout() {
        final CommandLine.Model.CommandSpec run = new CommandLine(
                new Stockline(new ByteArrayInputStream(new byte[0]), TopologyFactory.ledger()))
                .setInterpolateVariables(false).getSubcommands().get("run").getCommandSpec();

        assertEquals("${env:STOCKLINE_LOCATIONS:-default}", run.findOption("--locations").defaultValue());
        assertEquals("${env:STOCKLINE_SPLIT_LINES:-false}", run.findOption("--split-lines").defaultValue());
    }

    @Test
    void aLocationThatIsNoIdIsRefusedNamingIt() {
        final CommandLine.ParameterException refused = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> parse("--locations", "berlin,par\tis"));

        assertTrue(refused.getMessage().contains("location 'par\tis' contains a control character"),
                refused.getMessage());
    }

    @Test
    void deductOnShipmentReachesTheLedgerInAnyCase() {
        assertEquals(DeductOn.SHIPMENT, parse("--deduct-on", "shipment").ledgerConfig().deductOn());
        assertEquals(DeductOn.SHIPMENT, parse("--deduct-on", "SHIPMENT").deductOn());
        assertEquals(DeductOn.PAYMENT, parse("--deduct-on", "payment").deductOn());
    }

    @Test
    void deductOnIsReadFromStocklineDeductOnAndIsPaymentWithoutIt() {
        final CommandLine.Model.OptionSpec option = new CommandLine(
                new Stockline(new ByteArrayInputStream(new byte[0]), TopologyFactory.ledger()))
                .setInterpolateVariables(false).getSubcommands().get("run").getCommandSpec().findOption("--deduct-on");

        assertEquals("${env:STOCKLINE_DEDUCT_ON:-payment}", option.defaultValue());
    }

    @Test
    void flagsOverrideTheDefaults() {
        final ServiceConfig config = parse("--data-dir", "/tmp/x", "--bootstrap-servers", "kafka:9093",
                "--http-port", "9000", "--default-hold", "PT2M", "--orphan-grace", "90s", "--partitions", "12",
                "--order-retention", "7d");

        assertEquals(Path.of("/tmp/x"), config.dataDir());
        assertEquals("kafka:9093", config.bootstrapServers().orElseThrow());
        assertEquals(9000, config.httpPort());
        assertEquals(Duration.ofMinutes(2), config.defaultHold());
        assertEquals(Duration.ofSeconds(90), config.orphanGrace());
        assertEquals(12, config.partitions());
        assertEquals(Duration.ofDays(7), config.ledgerConfig().retention());
    }

    @Test
    void aRetentionNoLongerThanTheHoldIsRefusedAtStart() {
        final IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> parse("--default-hold", "2h", "--order-retention", "1h"));

        assertTrue(refused.getMessage().contains("must be longer than the default hold"), refused.getMessage());
    }

    @Test
    void sinkGroupsAreGroupTopicPairsAndNoneByDefault() {
        assertEquals(List.of(), parse().sinkGroups());
        assertEquals(List.of(new SinkGroup("connect-a", "stock-movements"), new SinkGroup("connect-b", "order-outcomes")),
                parse("--sink-groups", "connect-a=stock-movements, connect-b=order-outcomes").sinkGroups());
    }

    @Test
    void aSinkGroupWithoutItsTopicIsRefused() {
        final IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> parse("--sink-groups", "connect-a"));

        assertEquals("a sink group is GROUP=TOPIC, got 'connect-a'", refused.getMessage());
    }

    private static ServiceConfig parse(final String... flags) {
        final CommandLine commandLine = new CommandLine(
                new Stockline(new ByteArrayInputStream(new byte[0]), TopologyFactory.ledger()));
        final String[] args = new String[flags.length + 1];
        args[0] = "run";
        System.arraycopy(flags, 0, args, 1, flags.length);
        final CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).config();
    }
}
