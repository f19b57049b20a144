package io.stockline.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the serdes for contract records. Every serde for an Avro event is made here, so that another
 * wire format (a schema-registry one, say) can be added as another implementation without touching
 * any processor.
 *
 * <p>A deserializer made here reports a value it cannot read by throwing {@link EventDecodeException},
 * whose {@link EventDecodeException#failure()} says why.
 */
public interface SerdeFactory {

    <T extends SpecificRecord> Serde<T> serde(Class<T> type);
}
