package io.stockline.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.stockline.schemas.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no client library would send, written byte for byte to a real server: every one is a 4xx
 * problem document, never a 5xx, never an HTML page, never a stack trace.
 */
class HostileRequestsTest {

    private Javalin server;

    @BeforeEach
    void start() {
        server = new HttpApi(() -> KafkaStreams.State.RUNNING, new FakeQueries().put("MUG", 1, 0), new HttpMetrics())
                .create().start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /stock/%ZZ HTTP/1.1",
        "GET /stock/%00 HTTP/1.1",
        "GET /stock/a%2 HTTP/1.1",
        "GET /stock?limit=%FF HTTP/1.1",
        "GET /stock/" + "x" + "{huge-path} HTTP/1.1",
        "GET /no/such/route HTTP/1.1",
        "DELETE /stock/MUG HTTP/1.1",
        "PUT /orders/o-1 HTTP/1.1",
        "GET /stock/MUG HTTP/1.1\r\nX-Huge: {huge-header}",
        "GET /stock/MUG HTTP/1.1\r\nBad Header Line",
        "GET /../../etc/passwd HTTP/1.1",
        "GET /stock?limit=10&limit=20&allowStale=yes HTTP/1.1",
    })
    void hostileRequestIsA4xxProblemDocument(final String requestLine) throws IOException {
        final String request = requestLine.replace("{huge-path}", "y".repeat(100_000))
                .replace("{huge-header}", "z".repeat(200_000));

        final String response = send(request);

        final int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(status >= 400 && status < 500, "status " + status + " for " + abbreviate(requestLine));
        final String lower = response.toLowerCase();
        assertTrue(lower.contains("content-type: application/problem+json"), abbreviate(response));
        final String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertEquals(status, Json.MAPPER.readTree(body).get("status").asInt(), body);
        assertFalse(body.contains("Exception") || body.contains("at io.") || body.contains("<html"), body);
    }

    private String send(final String requestHead) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write((requestHead + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String abbreviate(final String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
