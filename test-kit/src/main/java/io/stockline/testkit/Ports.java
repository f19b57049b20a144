package io.stockline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/** Ports and addresses for tests that start servers. */
public final class Ports {

    private Ports() {
    }

    /** A port free on 127.0.0.1 now, for a process that will listen on it. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port} now. */
    public static boolean listening(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /** {@code host:port} of a URL, as the {@code X-Stockline-Served-By} header names an instance. */
    public static String hostOf(final String url) {
        final URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }
}
