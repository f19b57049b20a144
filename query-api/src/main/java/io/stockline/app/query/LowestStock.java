package io.stockline.app.query;

import io.stockline.schemas.api.StockView;
import java.util.List;

/** The body of {@code GET /lowest-stock}: the SKUs with the least available, lowest first (ties by SKU). */
public record LowestStock(List<StockView> items) {
}
