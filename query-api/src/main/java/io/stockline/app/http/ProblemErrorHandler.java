package io.stockline.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stockline.schemas.api.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches Javalin (a header too large, a path that does not parse)
 * as problem documents too, so a client sees one error format and never an HTML page or a stack trace.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(final Request request, final Response response, final int code,
                                    final String message, final Throwable cause, final Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(final int code, final String message) {
        final String title = HttpStatus.getMessage(code);
        final Problem problem = new Problem("about:blank", title, code,
                message == null || message.isBlank() ? title : message);
        try {
            return Json.MAPPER.writeValueAsBytes(problem);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serializes", e);
        }
    }
}
