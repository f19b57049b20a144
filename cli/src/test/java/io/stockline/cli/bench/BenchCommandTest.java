package io.stockline.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockline.cli.InProcessCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny bench, as CI runs it: it checks the tool and its checks, never speed. Redis and MariaDB are
 * used when they answer on this machine and skipped, saying so, when they do not.
 */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void aTinyFlashSalePassesItsChecksOnEveryReachableEngine() throws IOException {
        // When a flash sale of 50 units for 500 buyers runs on every engine
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "flash-sale", "--units", "50",
                "--orders", "500", "--compare", "stockline,redis-lua,mysql", "--out", dir.toString(),
                "--progress", "none");

        // Then it passes, and every engine that ran reserved exactly the 50 units
        assertEquals(0, result.exitCode(), result.out() + result.err());
        final JsonNode runs = onlyResult().get("runs");
        assertEquals(3, runs.size());
        for (final JsonNode run : runs) {
            if ("skipped".equals(run.get("status").asText())) {
                assertTrue(result.err().contains(run.get("engine").asText() + ": skipped: "), result.err());
                assertTrue(run.get("note").asText().contains("not reachable"), run.toString());
                continue;
            }
            assertEquals("passed", run.get("status").asText(), run.toString());
            assertEquals(50, run.get("reserved").asLong());
            assertEquals(500, run.get("decided").asLong());
        }
        assertEquals("passed", runs.get(0).get("status").asText(), "stockline itself always runs");
        assertTrue(result.out().contains("PASS no SKU oversold"), result.out());
    }

    @Test
    void aTinyMixedRunTakesOrdersThroughEveryEnding() throws IOException {
        // When a small mixed run places, pays, fails, cancels, refunds and lets orders expire on the ledger
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--workload", "mixed", "--skus", "40",
                "--orders", "400", "--follow-up-lag", "20", "--expire-hold", "2s", "--stock-cover", "0.8",
                "--out", dir.toString(), "--progress", "none");

        // Then every order ends as its events say and the levels match the outcomes
        assertEquals(0, result.exitCode(), result.out() + result.err());
        final JsonNode run = onlyResult().get("runs").get(0);
        assertEquals("passed", run.get("status").asText(), run.toString());
        assertTrue(run.get("reserved").asLong() > 0 && run.get("reserved").asLong() < 400, run.toString());
        assertTrue(Files.list(dir).anyMatch(p -> p.toString().endsWith(".md")));
    }

    @Test
    void anUnreachableServerIsSkippedAndSaysWhy() throws IOException {
        // When the only engine asked for cannot be reached
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--engine", "redis-lua",
                "--redis-url", "redis://127.0.0.1:1", "--units", "5", "--orders", "10", "--out", dir.toString(),
                "--progress", "none");

        // Then it says so, and since nothing ran, the exit code says so too
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("redis-lua: skipped: Redis is not reachable at 127.0.0.1:1"), result.err());
        assertEquals("skipped", onlyResult().get("runs").get(0).get("status").asText());
        assertEquals("stockline bench --engine redis-lua --redis-url redis://127.0.0.1:1 --units 5 --orders 10 --out "
                + dir + " --progress none", onlyResult().get("meta").get("command").asText(),
                "the results file says how to run it again");
    }

    @Test
    void anUnknownEngineIsBadUsage() {
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--engine", "memcached");

        assertEquals(2, result.exitCode());
        assertTrue(result.saidOneLine() && result.errLine().contains("unknown engine 'memcached'"), result.err());
    }

    @Test
    void aStreamsSettingKafkaRefusesIsBadUsageNamingTheSetting() {
        final InProcessCli.Result result = InProcessCli.run("", "bench", "--units", "5", "--orders", "10",
                "-S", "commit.interval.ms=soon", "--out", dir.toString(), "--progress", "none");

        // After the line saying what would run, one line naming the refused setting, no stack trace
        assertEquals(2, result.exitCode(), result.out() + result.err());
        final List<String> lines = result.errLine().lines().toList();
        assertEquals(2, lines.size(), result.err());
        assertTrue(lines.get(1).contains("commit.interval.ms") && lines.get(1).contains("soon"), result.err());
    }

    private JsonNode onlyResult() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, json.size(), json.toString());
            return new ObjectMapper().readTree(json.get(0).toFile());
        }
    }
}
