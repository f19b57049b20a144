package io.stockline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The bench's results as one self-contained XHTML page: for each engine that ran, its decisions per second and its
 * latency (p50, p99) over the measured phase, drawn as inline SVG. No script, no stylesheet or font to fetch: it opens
 * from disk anywhere, and as XHTML any XML parser reads it. Every string from the run is escaped.
 */
final class HtmlReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 860;
    private static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;
    private static final int TICKS = 5;
    private static final String P50_DASH = "6 4";

    /** One line of a chart: whose, which figure, and its points (second, value); a null value is left out. */
    private record Series(String engine, String figure, String colour, String dash, List<double[]> points) {
    }

    private HtmlReport() {
    }

    static String render(final Report.Meta meta, final List<RunResult> runs) {
        final List<RunResult> ran = runs.stream().filter(RunResult::ran).toList();
        final StringBuilder html = new StringBuilder();
        html.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
                .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"UTF-8\"/>\n")
                .append("<title>stockline bench, ").append(escape(meta.startedAt())).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:60em}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:0.2em 0.6em}")
                .append("td.n{text-align:right}</style>\n</head>\n<body>\n");
        html.append("<h1>stockline bench, ").append(escape(meta.startedAt())).append("</h1>\n")
                .append("<p><code>").append(escape(meta.command())).append("</code></p>\n")
                .append("<p>Workload: ").append(escape(String.valueOf(meta.workload().get("description"))))
                .append("<br/>Machine: ").append(escape(String.valueOf(meta.machine().get("description"))))
                .append("</p>\n");
        html.append(summary(runs));
        html.append("<h2>Throughput over time</h2>\n<p>Orders decided in each second of the measured phase "
                + "(the last may be a partial second).</p>\n");
        html.append(chart("throughput", "decisions/s", series(ran, "decisions", null, s -> (double) s.decisions())));
        html.append("<h2>Latency over time</h2>\n<p>p99 (solid) and p50 (dashed) of the orders decided in each "
                + "second, from send to decision; a second without decisions has no point.</p>\n");
        final List<Series> latency = new ArrayList<>(series(ran, "p99", null, Timeline.Second::p99Ms));
        latency.addAll(series(ran, "p50", P50_DASH, Timeline.Second::p50Ms));
        html.append(chart("latency", "ms", latency));
        return html.append("</body>\n</html>\n").toString();
    }

    private static String summary(final List<RunResult> runs) {
        final StringBuilder table = new StringBuilder("<table>\n<tr><th>engine</th><th>status</th><th>orders/s</th>"
                + "<th>p50 ms</th><th>p99 ms</th><th>measured seconds</th></tr>\n");
        for (final RunResult run : runs) {
            table.append("<tr><td>").append(escape(run.engine())).append("</td><td>").append(escape(run.status()))
                    .append(run.note().isEmpty() ? "" : ": " + escape(run.note())).append("</td>");
            if (run.ran()) {
                table.append(cell(run.ordersPerSecond())).append(cell(run.latencyMs().p50()))
                        .append(cell(run.latencyMs().p99())).append(cell(run.seconds()));
            } else {
                table.append("<td/><td/><td/><td/>");
            }
            table.append("</tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    private static String cell(final double value) {
        return "<td class=\"n\">" + number(value) + "</td>";
    }

    private static List<Series> series(final List<RunResult> runs, final String figure, final String dash,
                                       final Function<Timeline.Second, Double> value) {
        final List<Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            final List<double[]> points = new ArrayList<>();
            for (final Timeline.Second second : runs.get(i).timeline()) {
                final Double y = value.apply(second);
                if (y != null) {
                    points.add(new double[] {second.second(), y});
                }
            }
            series.add(new Series(runs.get(i).engine(), figure, COLOURS[i % COLOURS.length], dash, points));
        }
        return series;
    }

    /** A line chart: axes from 0 to the largest second and value, a tick scale on each, a legend. */
    private static String chart(final String id, final String unit, final List<Series> series) {
        final double maxX = Math.max(1, max(series, 0));
        final double maxY = niceCeiling(max(series, 1));
        final StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\">\n");
        axes(svg, maxX, maxY, unit);
        for (final Series line : series) {
            svg.append("<polyline class=\"series\" data-engine=\"").append(escape(line.engine()))
                    .append("\" data-figure=\"").append(line.figure()).append("\" data-points=\"")
                    .append(line.points().size()).append("\" fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(line.colour()).append('"')
                    .append(line.dash() == null ? "" : " stroke-dasharray=\"" + line.dash() + "\"")
                    .append(" points=\"").append(points(line.points(), maxX, maxY)).append("\"/>\n");
        }
        legend(svg, series);
        return svg.append("</svg>\n").toString();
    }

    private static void axes(final StringBuilder svg, final double maxX, final double maxY, final String unit) {
        final int plotBottom = HEIGHT - BOTTOM;
        svg.append("<g stroke=\"#888\"><line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(plotBottom).append("\"/><line x1=\"").append(LEFT)
                .append("\" y1=\"").append(plotBottom).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y2=\"")
                .append(plotBottom).append("\"/></g>\n<g font-size=\"11\" fill=\"#444\">\n");
        for (int i = 0; i <= TICKS; i++) {
            final double y = maxY * i / TICKS;
            final double x = maxX * i / TICKS;
            svg.append(text(LEFT - 6, y(y, maxY) + 4, "end", number(y)))
                    .append(text(x(x, maxX), plotBottom + 16, "middle", number(x)));
        }
        svg.append(text(LEFT - 6, TOP - 6, "end", unit))
                .append(text(WIDTH - RIGHT, plotBottom + 32, "end", "seconds into the measured phase"))
                .append("</g>\n");
    }

    private static void legend(final StringBuilder svg, final List<Series> series) {
        for (int i = 0; i < series.size(); i++) {
            final Series line = series.get(i);
            final int y = TOP + 14 * i;
            svg.append("<line x1=\"").append(WIDTH - RIGHT - 150).append("\" y1=\"").append(y).append("\" x2=\"")
                    .append(WIDTH - RIGHT - 130).append("\" y2=\"").append(y).append("\" stroke=\"")
                    .append(line.colour()).append('"')
                    .append(line.dash() == null ? "" : " stroke-dasharray=\"" + line.dash() + "\"").append("/>")
                    .append(text(WIDTH - RIGHT - 125, y + 4, "start", line.engine() + " " + line.figure()))
                    .append('\n');
        }
    }

    private static String text(final double x, final double y, final String anchor, final String content) {
        return "<text x=\"" + coordinate(x) + "\" y=\"" + coordinate(y) + "\" text-anchor=\"" + anchor
                + "\" font-size=\"11\">" + escape(content) + "</text>";
    }

    private static String points(final List<double[]> points, final double maxX, final double maxY) {
        final StringBuilder text = new StringBuilder();
        for (final double[] point : points) {
            text.append(text.isEmpty() ? "" : " ").append(coordinate(x(point[0], maxX))).append(',')
                    .append(coordinate(y(point[1], maxY)));
        }
        return text.toString();
    }

    private static double x(final double value, final double maxX) {
        return LEFT + value / maxX * (WIDTH - LEFT - RIGHT);
    }

    private static double y(final double value, final double maxY) {
        return HEIGHT - BOTTOM - value / maxY * (HEIGHT - BOTTOM - TOP);
    }

    private static double max(final List<Series> series, final int axis) {
        return series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[axis]).max().orElse(0);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value}, so the ticks are round numbers. */
    private static double niceCeiling(final double value) {
        if (value <= 0) {
            return 1;
        }
        final double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String coordinate(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String number(final double value) {
        return value >= 10 || value == 0 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    /** Text and attribute values alike: the five characters XML gives meaning to. */
    static String escape(final String text) {
        final StringBuilder escaped = new StringBuilder(text.length());
        for (final char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
