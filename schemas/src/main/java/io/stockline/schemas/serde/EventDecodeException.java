package io.stockline.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A value that could not be read as the expected event, with the reason as a value. */
public final class EventDecodeException extends SerializationException {

    private final DecodeFailure failure;

    public EventDecodeException(final DecodeFailure failure, final String message, final Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public DecodeFailure failure() {
        return failure;
    }
}
