package io.stockline.schemas.serde;

/** Why a value could not be read as the expected event. */
public enum DecodeFailure {
    /** The bytes are not a single-object-encoded Avro record, or its body is truncated or corrupt. */
    MALFORMED,
    /** A well-framed record whose schema fingerprint is no published version of any contract schema. */
    UNKNOWN_SCHEMA,
    /** A well-framed record of another event type of the contract. */
    WRONG_EVENT_TYPE
}
