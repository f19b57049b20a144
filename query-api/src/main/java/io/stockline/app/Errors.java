package io.stockline.app;

import java.io.UncheckedIOException;

/** Turns any failure into the one line the command line prints. */
public final class Errors {

    private Errors() {
    }

    /** The line {@code stockline} prints for a command that failed with {@code error}. */
    public static String oneLine(final Throwable error) {
        // Our own failures carry a message written for the reader; anything else is reported as unexpected.
        if (error instanceof UserError || error instanceof IllegalArgumentException
                || error instanceof IllegalStateException || error instanceof UncheckedIOException) {
            return flatten(error.getMessage());
        }
        final Throwable root = rootCause(error);
        final String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return flatten("unexpected " + root.getClass().getSimpleName() + message + " (run with --verbose for details)");
    }

    /** The innermost cause's message: the one that says what actually went wrong. */
    public static String rootMessage(final Throwable error) {
        final Throwable root = rootCause(error);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    public static String flatten(final String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static Throwable rootCause(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
