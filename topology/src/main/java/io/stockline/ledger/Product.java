package io.stockline.ledger;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The product a SKU is a variant of, and what makes it that variant (flavour, size...), as the last adjustment
 * that named them said.
 */
public record Product(String productId, Map<String, String> attributes) {

    public Product {
        Objects.requireNonNull(productId, "productId");
        // Sorted, so two instances print and compare the same attributes the same way.
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
    }
}
