package io.stockline.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A file served from the jar, read once at start-up: a missing one is a broken build, found before any request. */
final class JarResource {

    private JarResource() {
    }

    static byte[] read(final String name) {
        try (InputStream in = JarResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not in the jar");
            }
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the jar", e);
        }
    }
}
