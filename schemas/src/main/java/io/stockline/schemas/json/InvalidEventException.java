package io.stockline.schemas.json;

/** A JSON event that does not fit its topic's schema; the message names the field and the rule. */
public final class InvalidEventException extends Exception {

    public InvalidEventException(final String message) {
        super(message);
    }
}
