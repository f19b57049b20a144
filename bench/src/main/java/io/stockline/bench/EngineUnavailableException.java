package io.stockline.bench;

/** The engine's server cannot be reached: the run skips that engine and says why. */
final class EngineUnavailableException extends RuntimeException {

    EngineUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
