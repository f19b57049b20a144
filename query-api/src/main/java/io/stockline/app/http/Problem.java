package io.stockline.app.http;

import io.javalin.http.HttpStatus;

/**
 * An error response as RFC 9457 problem details, served as {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title  the status's short description
 * @param status the HTTP status code
 * @param detail what went wrong with this request
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(final HttpStatus status, final String detail) {
        return new Problem("about:blank", status.getMessage(), status.getCode(), detail);
    }
}
