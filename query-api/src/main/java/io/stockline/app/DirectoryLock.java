package io.stockline.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive claim on a directory, held until closed. Two brokers on one data directory do not fail
 * cleanly: the second reads the first's half-written metadata log and halts, and the first then hangs
 * on shutdown. So whoever uses a directory claims it first.
 */
public final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty while another process (or another owner in this one) holds it. */
    public static Optional<DirectoryLock> tryAcquire(final Path dir, final String fileName) throws IOException {
        Files.createDirectories(dir);
        final FileChannel channel = FileChannel.open(dir.resolve(fileName),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            final FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new DirectoryLock(channel, lock));
        } catch (final OverlappingFileLockException e) {
            channel.close();
            return Optional.empty();
        } catch (final IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try (channel) {
            lock.release();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot release the directory lock", e);
        }
    }
}
