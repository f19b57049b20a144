package io.stockline.app;

/**
 * Something the person running Stockline can fix: a bad setting, a busy port, an unreachable
 * cluster. The command line prints its message as one line, without a stack trace.
 */
public final class UserError extends RuntimeException {

    public UserError(final String message) {
        super(message);
    }

    public UserError(final String message, final Throwable cause) {
        super(message, cause);
    }
}
