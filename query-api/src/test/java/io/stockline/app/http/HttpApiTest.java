package io.stockline.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final HttpApi api = new HttpApi(state::get, new FakeQueries(), new HttpMetrics());

    @Test
    void healthIsUpWhileTheProcessRunsEvenBeforeStreamsStarts() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/health");

            assertEquals(200, response.code());
            assertEquals("UP", json(response).get("status").asText());
        });
    }

    @Test
    void notReadyUntilStreamsIsRunning() {
        state.set(KafkaStreams.State.REBALANCING);
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/ready");

            assertEquals(503, response.code());
            assertEquals("NOT_READY", json(response).get("status").asText());
            assertEquals("REBALANCING", json(response).get("streams").asText());
        });
    }

    @Test
    void readyOnceStreamsIsRunning() {
        JavalinTest.test(api.create(), (server, client) -> {
            assertEquals(503, client.get("/ready").code());

            state.set(KafkaStreams.State.RUNNING);
            final Response response = client.get("/ready");

            assertEquals(200, response.code());
            assertEquals("RUNNING", json(response).get("streams").asText());
        });
    }

    @Test
    void anUnknownPathIsAProblemDocument() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/no-such-thing");

            assertEquals(404, response.code());
            final String contentType = response.headers().get("Content-Type").get(0);
            assertTrue(contentType.startsWith(Problem.CONTENT_TYPE), contentType);
            final JsonNode problem = json(response);
            assertEquals(404, problem.get("status").asInt());
            assertEquals("Not Found", problem.get("title").asText());
            assertEquals("about:blank", problem.get("type").asText());
            assertTrue(problem.hasNonNull("detail"));
        });
    }

    private static JsonNode json(final Response response) throws Exception {
        return JSON.readTree(response.body().string());
    }
}
