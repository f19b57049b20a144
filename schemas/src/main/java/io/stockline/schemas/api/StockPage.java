package io.stockline.schemas.api;

import java.util.List;

/**
 * The body of {@code GET /stock}: SKUs in order, and the cursor for the next page ({@code after=next}),
 * null on the last page.
 */
public record StockPage(List<StockView> items, String next) {
}
