package io.stockline.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The operators' files in {@code compose/}: Prometheus' configuration and alert rules, Grafana's provisioning and
 * dashboard, read as far as the tests need, and the metric names their PromQL expressions use.
 */
final class OperatorFiles {

    static final String PROMETHEUS_CONFIG = "compose/prometheus/prometheus.yml";
    static final String ALERT_RULES = "compose/prometheus/alerts.yml";
    static final String DASHBOARD = "compose/grafana/dashboards/stockline.json";
    static final String DATASOURCES = "compose/grafana/provisioning/datasources/prometheus.yml";
    static final String DASHBOARD_PROVIDERS = "compose/grafana/provisioning/dashboards/stockline.yml";

    /** What PromQL writes in a metric name's place but is not one: operators, modifiers and literals. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "atan2", "inf", "nan");
    /** Quoted strings first (they may hold braces), then label matchers and ranges, then grouping clauses. */
    private static final List<Pattern> NOT_NAMES = List.of(
            Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`"),
            Pattern.compile("\\{[^}]*}"),
            Pattern.compile("\\[[^\\]]*\\]"),
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)"));
    /** An identifier not part of a number and not a function's name (possessive, so "rate(" is not "rat"). */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorFiles() {
    }

    /** Every alert rule's {@code expr}. */
    static List<String> ruleExpressions(final Path root) {
        final List<String> expressions = new ArrayList<>();
        for (final Object group : list(yaml(root.resolve(ALERT_RULES)).get("groups"))) {
            for (final Object rule : list(map(group).get("rules"))) {
                expressions.add(String.valueOf(map(rule).get("expr")));
            }
        }
        return expressions;
    }

    /** Every query of the dashboard: each {@code expr} of a panel's targets, panels in rows included. */
    static List<String> dashboardExpressions(final Path root) {
        final List<String> expressions = new ArrayList<>();
        json(root.resolve(DASHBOARD)).findParents("targets").forEach(panel ->
                panel.get("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    /** The metric names a PromQL expression selects. */
    static Set<String> metricNames(final String expression) {
        String rest = expression;
        for (final Pattern notName : NOT_NAMES) {
            rest = notName.matcher(rest).replaceAll(" ");
        }
        final Set<String> names = new TreeSet<>();
        final Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            if (!KEYWORDS.contains(identifier.group().toLowerCase(Locale.ROOT))) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    static Map<String, Object> yaml(final Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(final Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object node) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError("not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    static List<?> list(final Object node) {
        if (!(node instanceof List<?> list)) {
            throw new AssertionError("not a list: " + node);
        }
        return list;
    }
}
