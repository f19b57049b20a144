package io.stockline.bench;

import io.stockline.schemas.OrderStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a finished run against the events it was sent: no SKU oversold, every order with exactly the
 * outcomes its decision and its follow-ups call for, and the engine's levels equal to a reference
 * computed from the starting stock and the outcomes: what each reserved order holds after the steps its
 * outcomes say it took (units released by a partial cancel, shipped, returned restocked or damaged).
 *
 * <p>The reference is computed from the outcomes, not by replaying the events in some serial order:
 * which of two racing orders wins the last unit is the engine's to decide, and every engine may decide
 * it differently. What no engine may do is hand out more than it has, let an order's life break its
 * rules, turn an order away when there was enough of everything it asked for, or keep levels that do
 * not add up to what it told the buyers.
 */
final class Verifier {

    private static final int EXAMPLES = 5;

    private Verifier() {
    }

    /**
     * What every SKU's levels must be, given the starting stock and the steps each reserved order has taken, as
     * its outcomes tell: units locked for it, and units it took off hand (paid, or shipped when the ledger deducts
     * on shipment, less those returned restocked; those returned damaged stay off).
     */
    static Levels reference(final Scenario scenario, final OutcomeLog log) {
        final Holdings holdings = Holdings.of(scenario, log);
        final Levels reference = new Levels(scenario.skuCount());
        for (int sku = 0; sku < scenario.skuCount(); sku++) {
            final long onHand = scenario.initialStock(sku) - holdings.offHand[sku];
            reference.put(sku, onHand, onHand - holdings.locked[sku], holdings.locked[sku]);
        }
        return reference;
    }

    /** Per SKU, the units the orders hold locked and the units they took off hand, after the steps they took. */
    private record Holdings(long[] locked, long[] offHand) {

        static Holdings of(final Scenario scenario, final OutcomeLog log) {
            final Holdings holdings = new Holdings(new long[scenario.skuCount()], new long[scenario.skuCount()]);
            for (int order = 0; order < scenario.orderCount(); order++) {
                if (log.decision(order) == OrderStatus.RESERVED) {
                    scenario.addHoldings(order, log.outcomeCount(order) - 1, holdings.locked, holdings.offHand);
                }
            }
            return holdings;
        }
    }

    /** The SKUs whose levels differ from the reference, as text, at most a few. */
    static List<String> mismatches(final Levels reference, final Levels levels) {
        final List<String> found = new ArrayList<>();
        for (int sku = 0; sku < reference.size(); sku++) {
            final long onHand = levels.present(sku) ? levels.onHand(sku) : 0;
            final long available = levels.present(sku) ? levels.available(sku) : 0;
            final long locked = levels.present(sku) ? levels.locked(sku) : 0;
            if (onHand != reference.onHand(sku) || available != reference.available(sku)
                    || locked != reference.locked(sku)) {
                found.add("sku #" + sku + " onHand/available/locked " + onHand + "/" + available + "/" + locked
                        + ", reference " + reference.onHand(sku) + "/" + reference.available(sku) + "/"
                        + reference.locked(sku));
            }
        }
        return found;
    }

    static List<Check> check(final Scenario scenario, final OutcomeLog log, final Levels levels) {
        final List<Check> checks = new ArrayList<>();
        checks.add(everyOrderDecided(scenario, log));
        checks.add(everyOrderEndsOnce(scenario, log));
        checks.add(noSkuOversold(scenario, log, levels));
        final List<String> mismatches = mismatches(reference(scenario, log), levels);
        checks.add(new Check("levels equal the reference computed from the events", mismatches.isEmpty(),
                mismatches.isEmpty() ? scenario.skuCount() + " SKUs match"
                        : mismatches.size() + " SKUs differ, e.g. " + first(mismatches)));
        if (levels.hasPlaces()) {
            checks.add(placesAddUp(levels));
        }
        checks.add(noOrderTurnedAwayNeedlessly(scenario, log));
        if (scenario.spec().workload() == Workload.FLASH_SALE) {
            checks.add(everyUnitSold(scenario, log));
        }
        return checks;
    }

    /** Each SKU's totals are the sums over its places (locations, and batches within them). */
    private static Check placesAddUp(final Levels levels) {
        final List<String> wrong = new ArrayList<>();
        int mostPlaces = 0;
        for (int sku = 0; sku < levels.size(); sku++) {
            if (!levels.present(sku)) {
                continue;
            }
            final long[] sums = levels.placeSums(sku);
            mostPlaces = Math.max(mostPlaces, levels.placesHolding(sku));
            if (sums[0] != levels.onHand(sku) || sums[1] != levels.available(sku) || sums[2] != levels.locked(sku)) {
                wrong.add("sku #" + sku + " onHand/available/locked " + levels.onHand(sku) + "/"
                        + levels.available(sku) + "/" + levels.locked(sku) + ", over its places " + sums[0] + "/"
                        + sums[1] + "/" + sums[2]);
            }
        }
        return new Check("every SKU's totals are the sums over its places", wrong.isEmpty(), wrong.isEmpty()
                ? "the widest-spread SKU holds units at " + mostPlaces + " places"
                : wrong.size() + " SKUs differ, e.g. " + first(wrong));
    }

    private static Check everyOrderDecided(final Scenario scenario, final OutcomeLog log) {
        long reserved = 0;
        long rejected = 0;
        long cancelledFirst = 0;
        long undecided = 0;
        for (int order = 0; order < scenario.orderCount(); order++) {
            final OrderStatus decision = log.decision(order);
            if (decision == null) {
                undecided++;
            } else if (decision == OrderStatus.RESERVED) {
                reserved++;
            } else if (decision == OrderStatus.REJECTED) {
                rejected++;
            } else {
                cancelledFirst++;
            }
        }
        return new Check("every order decided", undecided == 0, reserved + " reserved, " + rejected + " rejected"
                + (cancelledFirst > 0 ? ", " + cancelledFirst + " cancelled before being decided" : "")
                + (undecided > 0 ? ", " + undecided + " NEVER DECIDED" : ""));
    }

    private static Check everyOrderEndsOnce(final Scenario scenario, final OutcomeLog log) {
        final List<String> wrong = new ArrayList<>(log.anomalies());
        long wrongCount = log.anomalyCount();
        for (int order = 0; order < scenario.orderCount(); order++) {
            final OrderStatus decision = log.decision(order);
            if (decision == null) {
                continue;
            }
            final OrderStatus expected = scenario.expectedFinal(order, decision);
            final int expectedCount = scenario.expectedOutcomes(order, decision);
            if (log.lastStatus(order) != expected || log.outcomeCount(order) != expectedCount) {
                wrongCount++;
                if (wrong.size() < EXAMPLES) {
                    wrong.add("order " + scenario.orderId(order) + " (" + scenario.intention(order) + ") ended "
                            + log.lastStatus(order) + " after " + log.outcomeCount(order) + " outcomes, expected "
                            + expected + " after " + expectedCount);
                }
            }
        }
        return new Check("every order has exactly one final outcome, the one its events call for", wrongCount == 0,
                wrongCount == 0 ? scenario.orderCount() + " orders (" + endings(scenario, log) + "), "
                        + log.refusals() + " follow-ups refused"
                        : wrongCount + " orders wrong, e.g. " + first(wrong));
    }

    /** How many orders ended in each status, in the status's order: {@code RESERVED 10, CONFIRMED 70, ...}. */
    private static String endings(final Scenario scenario, final OutcomeLog log) {
        final Map<OrderStatus, Long> ended = new EnumMap<>(OrderStatus.class);
        for (int order = 0; order < scenario.orderCount(); order++) {
            final OrderStatus last = log.lastStatus(order);
            if (last != null) {
                ended.merge(last, 1L, Long::sum);
            }
        }
        return ended.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static Check noSkuOversold(final Scenario scenario, final OutcomeLog log, final Levels levels) {
        final Holdings holdings = Holdings.of(scenario, log);
        final List<String> oversold = new ArrayList<>();
        long count = 0;
        for (int sku = 0; sku < scenario.skuCount(); sku++) {
            final long held = holdings.locked[sku] + holdings.offHand[sku];
            final boolean promisedTooMuch = held > scenario.initialStock(sku);
            final boolean brokenLevels = levels.present(sku) && (levels.available(sku) < 0 || levels.locked(sku) < 0
                    || levels.available(sku) + levels.locked(sku) != levels.onHand(sku));
            if (promisedTooMuch || brokenLevels) {
                count++;
                if (oversold.size() < EXAMPLES) {
                    oversold.add("sku #" + sku + ": " + held + " units reserved, sold or returned damaged of "
                            + scenario.initialStock(sku) + (brokenLevels ? ", levels " + levels.onHand(sku) + "/"
                            + levels.available(sku) + "/" + levels.locked(sku) : ""));
                }
            }
        }
        return new Check("no SKU oversold", count == 0, count == 0
                ? "0 oversold; every SKU has available >= 0, locked >= 0, available + locked = onHand"
                : count + " SKUs OVERSOLD, e.g. " + first(oversold));
    }

    /** A shortage can only be real on a SKU that was asked for more units, over the run, than it had. */
    private static Check noOrderTurnedAwayNeedlessly(final Scenario scenario, final OutcomeLog log) {
        final long[] demand = scenario.demandBySku();
        final List<String> needless = new ArrayList<>();
        long count = 0;
        long late = 0;
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (log.decision(order) != OrderStatus.REJECTED) {
                continue;
            }
            if (log.rejectedLate(order)) {
                late++;
                continue;
            }
            boolean contended = false;
            for (int line = 0; line < scenario.lineCount(order) && !contended; line++) {
                final int sku = scenario.lineSku(order, line);
                contended = demand[sku] > scenario.initialStock(sku);
            }
            if (!contended) {
                count++;
                if (needless.size() < EXAMPLES) {
                    needless.add("order " + scenario.orderId(order));
                }
            }
        }
        return new Check("no order rejected while every SKU it asked for had enough for everyone", count == 0,
                (count == 0 ? "none" : count + " orders, e.g. " + first(needless))
                        + (late > 0 ? "; " + late + " rejected because their hold had passed on arrival" : ""));
    }

    private static Check everyUnitSold(final Scenario scenario, final OutcomeLog log) {
        long reserved = 0;
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (log.decision(order) == OrderStatus.RESERVED) {
                reserved += scenario.lineQuantity(order, 0);
            }
        }
        final long expected = Math.min(scenario.initialStock(0), scenario.orderCount());
        return new Check("exactly min(units, orders) = " + expected + " units reserved", reserved == expected,
                reserved + " reserved");
    }

    private static String first(final List<String> examples) {
        return String.join("; ", examples.subList(0, Math.min(EXAMPLES, examples.size())));
    }
}
