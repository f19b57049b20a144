package io.stockline.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.Javalin;
import io.stockline.app.http.OpenApiDocument.Operation;
import io.stockline.app.query.OrderView;
import io.stockline.ledger.OrderStatus;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * openapi.json is true of the server, over real HTTP: every route Javalin registers is described and every
 * described route is registered; every described operation, asked with its examples and with each parameter
 * set to an awkward value ({@link Probes}), answers a status, content type, headers and body that it
 * describes. Describing a new route is all it takes for this test to try it; static files need no description.
 */
class OpenApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");
    private static final Pattern SCRIPT = Pattern.compile("<script\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final String STOCK_BODY = "{\"sku\":\"MUG\",\"onHand\":8,\"available\":8,\"locked\":0,"
            + "\"expired\":3,\"version\":3,\"updatedAt\":\"2026-11-22T10:01:02.345Z\",\"lowStockThreshold\":null,"
            + "\"productId\":null,\"attributes\":{\"size\":\"L\"},\"locations\":[{\"location\":\"paris\",\"onHand\":8,"
            + "\"available\":8,\"locked\":0,\"expired\":3,\"batches\":[{\"batch\":\"B1\",\"expiresAt\":null,"
            + "\"onHand\":3,\"available\":3,\"locked\":0}]}]}";

    private final AtomicReference<KafkaStreams.State> streams = new AtomicReference<>(KafkaStreams.State.RUNNING);
    private final FakeQueries ledger = new FakeQueries().put("MUG-BLUE", 10, 2).put("TEE-M", 5, 0);
    private final HttpMetrics metrics = new HttpMetrics();
    private Javalin server;
    private OpenApiDocument description;
    private SchemaSubset schemas;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        ledger.orders.put("order-1", new OrderView("order-1", "CONFIRMED",
                List.of(new OrderView.LineView("MUG-BLUE", 2, null, null)), FakeQueries.AT, FakeQueries.AT.plusSeconds(900),
                FakeQueries.AT, null, List.of(), List.of(new OrderView.LineView("MUG-BLUE", 2, null, null))));
        server = new HttpApi(streams::get, ledger, metrics).create().start("127.0.0.1", 0);
        description = new OpenApiDocument(Json.MAPPER.readTree(get(ApiPaths.OPENAPI).body()));
        schemas = new SchemaSubset(description);
    }

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteIsRegistered() {
        final Set<String> registered = server.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + openApiTemplate(endpoint.path))
                .collect(Collectors.toCollection(TreeSet::new));
        final Set<String> described = description.operations().stream().map(Operation::toString)
                .collect(Collectors.toCollection(TreeSet::new));

        assertFalse(registered.isEmpty(), "the router lists its routes");
        assertEquals(Set.of(), minus(registered, described), "routes the server answers but openapi.json omits");
        assertEquals(Set.of(), minus(described, registered), "routes openapi.json describes but the server lacks");
    }

    @Test
    void everyDescribedOperationAnswersItsExamplesWithSuccess() throws IOException, InterruptedException {
        final List<String> failures = new ArrayList<>();
        for (final Operation operation : description.operations()) {
            final String target = Probes.targets(description, operation).get(0);
            final Answer answer = ask(operation, target);
            failures.addAll(answer.failures());
            if (answer.status() / 100 != 2) {
                failures.add(operation + " as " + target + " answered " + answer.status() + ", not a success");
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Under both states, so that /ready's 503 is checked as well as its 200. */
    @ParameterizedTest
    @EnumSource(value = KafkaStreams.State.class, names = {"RUNNING", "REBALANCING"})
    void everyAnswerToAnAwkwardRequestIsOneTheDescriptionLists(final KafkaStreams.State state)
            throws IOException, InterruptedException {
        streams.set(state);
        final List<String> failures = new ArrayList<>();
        final Set<Integer> statuses = new TreeSet<>();
        for (final Operation operation : description.operations()) {
            for (final String target : Probes.targets(description, operation)) {
                final Answer answer = ask(operation, target);
                failures.addAll(answer.failures());
                statuses.add(answer.status());
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(statuses.containsAll(Set.of(200, 400, 404, 503)), "every kind of answer was checked: " + statuses);
    }

    @Test
    void everyStatusAnOrderCanBeShownInIsOneTheDescriptionLists() throws IOException, InterruptedException {
        final JsonNode listed = Json.MAPPER.readTree(get(ApiPaths.OPENAPI).body())
                .at("/components/schemas/OrderView/properties/status/enum");
        final Set<String> described = new TreeSet<>();
        listed.forEach(symbol -> described.add(symbol.asText()));

        // An order still awaiting its own event is not shown (404); every other status is
        final Set<String> shown = Arrays.stream(OrderStatus.values()).filter(s -> s != OrderStatus.AWAITING_ORDER)
                .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(shown, described);
    }

    @Test
    void docsPageAndEveryAssetItNamesAnswerFromTheJar() throws IOException, InterruptedException {
        final HttpResponse<String> page = get(ApiPaths.DOCS);
        assertEquals(200, page.statusCode());
        assertEquals("text/html", mediaType(page));

        final List<String> assets = assets(page.body());
        assertTrue(assets.stream().anyMatch(a -> a.endsWith(".js")), "a script: " + assets);
        assertTrue(assets.stream().anyMatch(a -> a.endsWith(".css")), "a style sheet: " + assets);
        for (final String asset : assets) {
            final HttpResponse<String> answer = get(asset);
            assertEquals(200, answer.statusCode(), asset);
            assertTrue(mediaType(answer).contains(expectedType(asset)), asset + " is " + mediaType(answer));
        }
    }

    @Test
    void docsPageRunsNoInlineScriptAndShowsThisDescription() throws IOException, InterruptedException {
        final HttpResponse<String> page = get(ApiPaths.DOCS);

        final Matcher scripts = SCRIPT.matcher(page.body());
        while (scripts.find()) {
            assertTrue(scripts.group().contains(" src="), "an inline script: " + scripts.group());
        }
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        final String initializer = get(ApiPaths.DOCS + "/swagger-initializer.js").body();
        assertTrue(initializer.contains("url: \"" + ApiPaths.OPENAPI + "\""), initializer);
    }

    /** The validator is what makes the checks above bite, so it must reject what a schema rules out. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "ABSENT", value = {
        "onHand | \"8\"", "onHand | 1.5", "updatedAt | \"yesterday\"", "updatedAt | ABSENT", "sku | null",
        "colour | \"blue\"", "lowStockThreshold | \"5\"", "lowStockThreshold | ABSENT", "expired | ABSENT",
        "locations | ABSENT", "locations | []", "locations | [{\"location\":\"paris\"}]",
        "attributes | {\"size\":1}", "productId | 7"})
    void theValidatorRejectsAStockLevelThatBreaksItsSchema(final String field, final String value) throws IOException {
        final JsonNode schema = description.resolve(Json.MAPPER.readTree("{\"$ref\":\"#/components/schemas/StockView\"}"));
        final ObjectNode body = (ObjectNode) Json.MAPPER.readTree(STOCK_BODY);
        assertEquals(List.of(), schemas.errors(schema, body), "the body as it is");

        if (value == null) {
            body.remove(field);
        } else {
            body.set(field, Json.MAPPER.readTree(value));
        }

        assertFalse(schemas.errors(schema, body).isEmpty(), body::toString);
    }

    /** The console's figures use maps of series and series of fixed length: those keywords bite too. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/window/outcomes/RESERVED | [1, 2]", "/window/outcomes/RESERVED | \"many\"",
        "/window/latencyP50 | [\"fast\"]", "/consumerLag | -1"})
    void theValidatorRejectsFiguresThatBreakTheirSchema(final String pointer, final String value)
            throws IOException, InterruptedException {
        final JsonNode schema = description.resolve(
                Json.MAPPER.readTree("{\"$ref\":\"#/components/schemas/ConsoleFigures\"}"));
        final ObjectNode body = (ObjectNode) Json.MAPPER.readTree(get(ApiPaths.CONSOLE_FIGURES).body());
        ((ObjectNode) body.at("/window/outcomes")).set("RESERVED", Json.MAPPER.valueToTree(Collections.nCopies(60, 0)));
        assertEquals(List.of(), schemas.errors(schema, body), "the figures as served, a series added");

        final int last = pointer.lastIndexOf('/');
        ((ObjectNode) body.at(pointer.substring(0, last))).set(pointer.substring(last + 1), Json.MAPPER.readTree(value));

        assertFalse(schemas.errors(schema, body).isEmpty(), body::toString);
    }

    /** What one request got: its status, and each way the answer differs from its description. */
    private record Answer(int status, List<String> failures) {
    }

    private Answer ask(final Operation operation, final String target) throws IOException, InterruptedException {
        // Accept matters: Javalin starts an event stream only for a client that accepts one.
        final HttpRequest request = HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(10))
                .header("Accept", String.join(", ", description.mediaTypes(operation)))
                .method(operation.method(), HttpRequest.BodyPublishers.noBody()).build();
        final HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        final String where = operation + " as " + target + " answered " + response.statusCode() + ": ";
        try (InputStream body = response.body()) {
            final JsonNode described = description.response(operation, response.statusCode());
            if (described.isMissingNode()) {
                return new Answer(response.statusCode(), List.of(where + "a status it does not describe"));
            }
            final List<String> failures = new ArrayList<>(headerFailures(described, response));
            failures.addAll(contentFailures(described, mediaType(response), body));
            return new Answer(response.statusCode(), failures.stream().map(where::concat).toList());
        }
    }

    private List<String> headerFailures(final JsonNode described, final HttpResponse<?> response) {
        final List<String> failures = new ArrayList<>();
        described.path("headers").fields().forEachRemaining(entry -> {
            final JsonNode header = description.resolve(entry.getValue());
            final Optional<String> value = response.headers().firstValue(entry.getKey());
            if (value.isPresent()) {
                schemas.errors(header.path("schema"), headerValue(header.path("schema"), value.get()))
                        .forEach(error -> failures.add(entry.getKey() + " " + error));
            } else if (header.path("required").asBoolean()) {
                failures.add("no " + entry.getKey() + " header");
            }
        });
        return failures;
    }

    /** A JSON body is checked against its schema; any other (an event stream never ends) by its type alone. */
    private List<String> contentFailures(final JsonNode described, final String mediaType, final InputStream body)
            throws IOException {
        final JsonNode content = described.path("content");
        if (!content.has(mediaType)) {
            final List<String> types = new ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            return List.of("Content-Type " + mediaType + " where " + types + " is described");
        }
        final JsonNode schema = content.get(mediaType).path("schema");
        if (!mediaType.endsWith("json") || schema.isMissingNode()) {
            return List.of();
        }
        return schemas.errors(schema, Json.MAPPER.readTree(body));
    }

    private static JsonNode headerValue(final JsonNode schema, final String value) {
        return schema.path("type").asText().equals("integer") && value.matches("-?\\d{1,18}")
                ? LongNode.valueOf(Long.parseLong(value)) : TextNode.valueOf(value);
    }

    private HttpResponse<String> get(final String target) throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String target) {
        return URI.create("http://127.0.0.1:" + server.port() + target);
    }

    private static String mediaType(final HttpResponse<?> response) {
        final String contentType = response.headers().firstValue("Content-Type").orElse("");
        return contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    /** Javalin's {@code <name>} parameter (one that may hold '/') is OpenAPI's {@code {name}} too. */
    private static String openApiTemplate(final String javalinPath) {
        return javalinPath.replaceAll("<([^>]+)>", "{$1}");
    }

    private static Set<String> minus(final Set<String> these, final Set<String> those) {
        final Set<String> rest = new TreeSet<>(these);
        rest.removeAll(those);
        return rest;
    }

    private static List<String> assets(final String html) {
        final List<String> assets = new ArrayList<>();
        final Matcher matcher = ASSET.matcher(html);
        while (matcher.find()) {
            assets.add(matcher.group(1));
        }
        return assets;
    }

    private static String expectedType(final String asset) {
        if (asset.endsWith(".js")) {
            return "javascript";
        }
        return asset.endsWith(".css") ? "text/css" : "image/";
    }
}
