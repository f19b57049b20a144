package io.stockline.app.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.staticfiles.Location;
import io.stockline.schemas.api.ApiPaths;

/**
 * The API's description at {@code GET /openapi.json} (hand-written OpenAPI 3.1, kept true by
 * {@code OpenApiTest}) and a page showing it at {@code GET /docs} (Swagger UI from its WebJar). All of it
 * is served from the jar, so the page works with no network.
 */
final class ApiDocs {

    static final String DESCRIPTION = "/stockline/openapi.json";
    private static final String PAGE = "/stockline/docs.html";
    /** The page's own script, at {@code /docs/...}: static files, so they need no route of their own. */
    private static final String ASSETS = "/stockline/docs";
    /** Swagger UI needs inline styles, but no inline script, nothing from another origin, no eval. */
    private static final String PAGE_POLICY =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    private ApiDocs() {
    }

    static void register(final JavalinConfig config) {
        final byte[] description = JarResource.read(DESCRIPTION);
        final byte[] page = JarResource.read(PAGE);
        config.staticFiles.add(files -> {
            files.hostedPath = ApiPaths.DOCS;
            files.directory = ASSETS;
            files.location = Location.CLASSPATH;
        });
        config.routes.get(ApiPaths.OPENAPI, ctx -> ctx.contentType(ContentType.APPLICATION_JSON).result(description));
        config.routes.get(ApiPaths.DOCS, ctx -> ctx.header("Content-Security-Policy", PAGE_POLICY)
                .contentType(ContentType.HTML + "; charset=utf-8").result(page));
    }
}
