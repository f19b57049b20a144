package io.stockline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The bench's results: a table on the terminal, and the same as JSON and Markdown under {@code bench-results/}. */
final class Report {

    private static final String[] HEADERS = {"engine", "status", "orders/s", "steady orders/s", "lines/s", "p50 ms", "p99 ms",
        "p99.9 ms", "max ms", "service CPU (cores)", "CPU s / 1k orders", "peak RSS MiB", "reserved / decided"};

    /**
     * Everything about a bench invocation that is not a run.
     *
     * @param startedAt when it started, ISO-8601
     * @param command   the command line, as typed
     * @param machine   cores, memory, OS, JVM
     * @param workload  the scenario's parameters and sizes
     */
    record Meta(String startedAt, String command, Map<String, Object> machine, Map<String, Object> workload) {
    }

    /**
     * What the JSON file holds.
     *
     * @param ratios Stockline against each other engine that ran
     */
    record Document(Meta meta, List<RunResult> runs, List<String> ratios) {
    }

    private Report() {
    }

    static void print(final PrintWriter out, final Meta meta, final List<RunResult> runs) {
        out.println();
        out.println("stockline bench: " + meta.workload().get("description"));
        out.println(table(runs, false));
        for (final RunResult run : runs) {
            if (!run.ran()) {
                out.println(run.engine() + ": skipped: " + run.note());
                continue;
            }
            out.println(run.engine() + " checks (load average " + run.loadBefore() + " before, " + run.loadAfter()
                    + " after):");
            for (final Check check : run.checks()) {
                out.println("  " + (check.passed() ? "PASS " : "FAIL ") + check.name() + ": " + check.detail());
            }
        }
        final List<String> ratios = ratios(runs);
        if (!ratios.isEmpty()) {
            out.println("Ratios against Stockline:");
            ratios.forEach(r -> out.println("  " + r));
        }
        out.flush();
    }

    /** Writes {@code NAME.json}, {@code NAME.md} and {@code NAME.html} (charts over time) into {@code dir}; returns the paths. */
    static List<Path> write(final Path dir, final String name, final Meta meta, final List<RunResult> runs) {
        final Path json = dir.resolve(name + ".json");
        final Path markdown = dir.resolve(name + ".md");
        final Path html = dir.resolve(name + ".html");
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), new Document(meta, runs, ratios(runs)));
            Files.writeString(markdown, markdown(meta, runs));
            Files.writeString(html, HtmlReport.render(meta, runs), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the results to " + dir + ": " + e.getMessage(), e);
        }
        return List.of(json, markdown, html);
    }

    private static String markdown(final Meta meta, final List<RunResult> runs) {
        final StringBuilder md = new StringBuilder();
        md.append("# stockline bench, ").append(meta.startedAt()).append("\n\n");
        md.append("`").append(meta.command()).append("`\n\n");
        md.append("Workload: ").append(meta.workload().get("description")).append("  \n");
        md.append("Machine: ").append(meta.machine().get("description")).append("\n\n");
        md.append(table(runs, true)).append('\n');
        for (final RunResult run : runs) {
            if (!run.ran()) {
                md.append("- **").append(run.engine()).append("**: skipped: ").append(run.note()).append('\n');
                continue;
            }
            md.append("- **").append(run.engine()).append("** (load average ").append(run.loadBefore())
                    .append(" before, ").append(run.loadAfter()).append(" after)\n");
            for (final Check check : run.checks()) {
                md.append("  - ").append(check.passed() ? "PASS " : "**FAIL** ").append(check.name()).append(": ")
                        .append(check.detail()).append('\n');
            }
        }
        final List<String> ratios = ratios(runs);
        if (!ratios.isEmpty()) {
            md.append("\nRatios against Stockline:\n\n");
            ratios.forEach(r -> md.append("- ").append(r).append('\n'));
        }
        return md.toString();
    }

    private static String table(final List<RunResult> runs, final boolean markdown) {
        final List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (final RunResult run : runs) {
            if (run.ran()) {
                rows.add(row(run));
            }
        }
        final int[] widths = new int[HEADERS.length];
        for (final String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            final String[] row = rows.get(r);
            final StringBuilder line = new StringBuilder(markdown ? "|" : "");
            for (int i = 0; i < row.length; i++) {
                final String cell = i < 2 ? pad(row[i], widths[i]) : padLeft(row[i], widths[i]);
                line.append(markdown ? " " + cell + " |" : (i == 0 ? "" : "  ") + cell);
            }
            text.append(line).append('\n');
            if (r == 0) {
                final StringBuilder rule = new StringBuilder(markdown ? "|" : "");
                for (int i = 0; i < widths.length; i++) {
                    rule.append(markdown ? (i < 2 ? " :" : " ") + "-".repeat(Math.max(1, widths[i] - 1))
                            + (i < 2 ? " |" : ": |") : (i == 0 ? "" : "  ") + "-".repeat(widths[i]));
                }
                text.append(rule).append('\n');
            }
        }
        return text.toString();
    }

    private static String[] row(final RunResult run) {
        final RunResult.Latency latency = run.latencyMs();
        final Usage usage = run.usage();
        return new String[] {run.engine(), run.status(), number(run.ordersPerSecond()),
            run.steadyOrdersPerSecond() == 0 ? "n/a" : number(run.steadyOrdersPerSecond()), number(run.linesPerSecond()),
            ms(latency.p50()), ms(latency.p99()), ms(latency.p999()), ms(latency.max()),
            usage.serviceCores() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", usage.serviceCores()),
            usage.serviceCpuSeconds() < 0 || run.decided() == 0 ? "n/a"
                    : String.format(Locale.ROOT, "%.3f", usage.serviceCpuSeconds() * 1000 / run.decided()),
            usage.servicePeakRssMib() < 0 ? "n/a" : number(usage.servicePeakRssMib()),
            String.format(Locale.ROOT, "%,d / %,d", run.reserved(), run.decided())};
    }

    /** Stockline's throughput and p99 against every other engine that ran. */
    static List<String> ratios(final List<RunResult> runs) {
        final Optional<RunResult> stockline = runs.stream()
                .filter(r -> r.ran() && StocklineEngine.NAME.equals(r.engine())).findFirst();
        final List<String> ratios = new ArrayList<>();
        if (stockline.isEmpty()) {
            return ratios;
        }
        final RunResult ledger = stockline.get();
        for (final RunResult other : runs) {
            if (other == ledger || !other.ran() || other.ordersPerSecond() == 0) {
                continue;
            }
            ratios.add(String.format(Locale.ROOT, "stockline / %s: throughput %.2fx (%s vs %s orders/s), "
                            + "p99 latency %.2fx (%s vs %s ms)", other.engine(),
                    ledger.ordersPerSecond() / other.ordersPerSecond(), number(ledger.ordersPerSecond()),
                    number(other.ordersPerSecond()), ratio(ledger.latencyMs().p99(), other.latencyMs().p99()),
                    ms(ledger.latencyMs().p99()), ms(other.latencyMs().p99())));
        }
        return ratios;
    }

    static Map<String, Object> machine() {
        final Map<String, Object> machine = new LinkedHashMap<>();
        final long memoryMib = totalMemoryMib();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryMiB", memoryMib);
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("description", String.format(Locale.ROOT, "%d cores, %,d MiB, %s, Java %s",
                Runtime.getRuntime().availableProcessors(), memoryMib, machine.get("os"),
                System.getProperty("java.version")));
        return machine;
    }

    private static long totalMemoryMib() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static double ratio(final double a, final double b) {
        return b == 0 ? 0 : a / b;
    }

    private static String number(final double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ms(final double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value);
    }

    private static String pad(final String text, final int width) {
        return text + " ".repeat(width - text.length());
    }

    private static String padLeft(final String text, final int width) {
        return " ".repeat(width - text.length()) + text;
    }
}
