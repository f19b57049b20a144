package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Both machines wired together the way the topology wires them (one FIFO queue per key, keys interleaved
 * at random, timers fired by a clock), over many random runs. Whatever happens, the stock side never sees
 * a bug, its invariants hold, what it has locked is exactly what the orders hold, and units are conserved.
 */
class LedgerSimulationTest {

    private static final long SEED = 0xC0FFEEL;
    private static final int RUNS = 300;
    private static final int ORDERS_PER_RUN = 25;
    private static final long DEFAULT_HOLD = 30_000L;
    private static final long GRACE = 5_000L;
    private static final List<String> SKUS = List.of("s1", "s2", "s3", "s4");

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = Map.of(
            OrderStatus.RESERVED, EnumSet.of(OrderStatus.CONFIRMED, OrderStatus.CANCELLED, OrderStatus.EXPIRED),
            OrderStatus.CONFIRMED, EnumSet.of(OrderStatus.REFUNDED));
    private static final Set<OrderStatus> FIRST =
            EnumSet.of(OrderStatus.RESERVED, OrderStatus.REJECTED, OrderStatus.CANCELLED);

    @Test
    void stockIsConservedAndLocksMatchOrdersOverRandomInterleavings() {
        System.out.println("LedgerSimulationTest: seed=" + SEED);
        final Random seeds = new Random(SEED);
        final Map<OrderStatus, Integer> finals = new TreeMap<>();
        for (int run = 0; run < RUNS; run++) {
            final long runSeed = seeds.nextLong();
            new Run(runSeed).play().forEach((status, count) -> finals.merge(status, count, Integer::sum));
        }
        System.out.println("  final statuses over all runs: " + finals);
        for (final OrderStatus status : List.of(OrderStatus.REJECTED, OrderStatus.CONFIRMED, OrderStatus.CANCELLED,
                OrderStatus.EXPIRED, OrderStatus.REFUNDED)) {
            assertTrue(finals.getOrDefault(status, 0) > 0, "the runs must reach " + status + ": " + finals);
        }
    }

    private static final class Run {
        private final long seed;
        private final Random random;
        private final OrderMachine machine = new OrderMachine(DEFAULT_HOLD, GRACE);
        private final Map<String, Order> orders = new HashMap<>();
        private final Map<String, StockLevel> levels = new HashMap<>();
        private final Set<String> appliedAdjustments = new HashSet<>();
        private final Map<String, Deque<Object>> queues = new LinkedHashMap<>();
        private final Set<Timer> timers = new HashSet<>();
        private final Map<String, List<OrderStatus>> outcomes = new HashMap<>();
        private final Set<String> rollbackIds = new HashSet<>();
        private final Map<String, Long> expectedOnHand = new HashMap<>();
        private long now = 1_000_000L;
        private int steps;

        Run(final long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        Map<OrderStatus, Integer> play() {
            for (final String sku : SKUS) {
                enqueue("sku:" + sku, new Adjust("init-" + sku, sku, random.nextInt(25), "initial", now,
                        origin(sku)));
            }
            final List<Object> inputs = new ArrayList<>();
            for (int i = 0; i < ORDERS_PER_RUN; i++) {
                inputs.addAll(randomOrderEvents("o" + i));
            }
            for (int i = 0; i < 10; i++) {
                final String sku = SKUS.get(random.nextInt(SKUS.size()));
                inputs.add(new Adjust("adj-" + i, sku, random.nextInt(16) - 8, "recount", now, origin(sku)));
            }
            Collections.shuffle(inputs, random);
            final Deque<Object> pendingInputs = new ArrayDeque<>(inputs);
            while (!pendingInputs.isEmpty() || queues.values().stream().anyMatch(q -> !q.isEmpty())) {
                final int choice = random.nextInt(10);
                if (choice < 3 && !pendingInputs.isEmpty()) {
                    final Object input = pendingInputs.poll();
                    enqueue(keyOf(input), input);
                } else if (choice < 8) {
                    deliverOne();
                } else {
                    now += random.nextInt(4_000);
                    fireDueTimers();
                }
            }
            now += 1_000_000_000L;
            fireDueTimers();
            assertEnd();
            final Map<OrderStatus, Integer> finals = new TreeMap<>();
            orders.values().forEach(o -> finals.merge(o.status(), 1, Integer::sum));
            return finals;
        }

        private List<Object> randomOrderEvents(final String orderId) {
            final List<Object> events = new ArrayList<>();
            final List<Line> lines = new ArrayList<>();
            final int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                lines.add(new Line(SKUS.get(random.nextInt(SKUS.size())), 1 + random.nextInt(8)));
            }
            final Long hold = switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> 0L;
                case 2 -> Long.MAX_VALUE;
                default -> (long) random.nextInt(20_000);
            };
            final PlaceOrder place = new PlaceOrder("placed-" + orderId, orderId, lines, now, hold, origin(orderId));
            if (random.nextInt(12) > 0) {
                events.add(place);
            }
            if (random.nextInt(8) == 0) {
                events.add(place);
            }
            if (random.nextInt(10) == 0) {
                events.add(new PlaceOrder("placed-other-" + orderId, orderId, List.of(new Line("s1", 99)), now,
                        hold, origin(orderId)));
            }
            final int others = random.nextInt(4);
            for (int i = 0; i < others; i++) {
                final Object event = switch (random.nextInt(5)) {
                    case 0, 1 -> new ApplyPayment("pay-" + orderId + "-" + i, orderId, PaymentResult.CAPTURED, now,
                            origin(orderId));
                    case 2 -> new ApplyPayment("pay-" + orderId + "-" + i, orderId, PaymentResult.FAILED, now,
                            origin(orderId));
                    case 3 -> new ApplyPayment("pay-" + orderId + "-" + i, orderId, PaymentResult.REFUNDED, now,
                            origin(orderId));
                    default -> new CancelOrder("cancel-" + orderId + "-" + i, orderId, "r", now, origin(orderId));
                };
                events.add(event);
                if (random.nextInt(6) == 0) {
                    events.add(event);
                }
            }
            return events;
        }

        private static Origin origin(final String key) {
            return new Origin("in", 0, 0, key, new byte[0]);
        }

        private static String keyOf(final Object input) {
            if (input instanceof StockCommand command) {
                return "sku:" + command.sku();
            }
            return "order:" + ((OrderCommand) input).orderId();
        }

        private void enqueue(final String key, final Object message) {
            queues.computeIfAbsent(key, k -> new ArrayDeque<>()).add(message);
        }

        private void deliverOne() {
            final List<Deque<Object>> nonEmpty = queues.values().stream().filter(q -> !q.isEmpty()).toList();
            if (nonEmpty.isEmpty()) {
                return;
            }
            final Object message = nonEmpty.get(random.nextInt(nonEmpty.size())).poll();
            steps++;
            if (message instanceof StockCommand command) {
                onStock(command);
            } else {
                onOrder((OrderCommand) message);
            }
        }

        private String where() {
            return "seed=" + seed + " step=" + steps + " now=" + now;
        }

        private void onStock(final StockCommand command) {
            final StockLevel current = levels.get(command.sku());
            final boolean redelivered = command instanceof Adjust adjust
                    && !appliedAdjustments.add(adjust.adjustmentId());
            final StockStep step;
            try {
                step = StockMachine.apply(current, command, redelivered, now);
            } catch (final IllegalStateException bug) {
                throw new AssertionError(where() + ": the order side asked for " + command + " against "
                        + current, bug);
            }
            assertTrue(step.level().invariantsHold(), where() + " " + step.level());
            if (step.changed()) {
                levels.put(command.sku(), step.level());
                if (command instanceof Adjust adjust) {
                    expectedOnHand.merge(adjust.sku(), adjust.delta(), Long::sum);
                } else if (command instanceof Commit commit) {
                    expectedOnHand.merge(commit.sku(), -commit.quantity(), Long::sum);
                } else if (command instanceof Refund refund) {
                    expectedOnHand.merge(refund.sku(), refund.quantity(), Long::sum);
                }
            }
            if (step.outcome() != null) {
                recordOutcome(step.outcome());
            }
            if (step.reply() != null) {
                enqueue("order:" + step.reply().orderId(), step.reply());
            }
            if (step.rollback() != null) {
                assertTrue(rollbackIds.add(step.rollback().rollbackId()),
                        where() + " rollback published twice: " + step.rollback());
            }
        }

        private void onOrder(final OrderCommand command) {
            final Order current = orders.get(command.orderId());
            final OrderStep step;
            if (command instanceof PlaceOrder place) {
                step = machine.place(current, place, now);
            } else if (command instanceof ApplyPayment payment) {
                step = machine.payment(current, payment, now);
            } else if (command instanceof CancelOrder cancel) {
                step = machine.cancel(current, cancel, now);
            } else {
                step = machine.lineResult(current, (LineResult) command, now);
            }
            applyOrderStep(current, step);
        }

        /** Outcomes from either side: a one-line order's decision comes from the stock side. */
        private void recordOutcome(final Outcome outcome) {
            final List<OrderStatus> seen = outcomes.computeIfAbsent(outcome.orderId(), k -> new ArrayList<>());
            final boolean allowed = seen.isEmpty() ? FIRST.contains(outcome.status())
                    : NEXT.getOrDefault(seen.get(seen.size() - 1), Set.of()).contains(outcome.status());
            assertTrue(allowed, where() + " outcome " + outcome.status() + " after " + seen);
            seen.add(outcome.status());
        }

        private void fireDueTimers() {
            final List<Timer> due = timers.stream().filter(t -> t.dueAt() <= now).toList();
            for (final Timer timer : due) {
                timers.remove(timer);
                final Order current = orders.get(timer.orderId());
                applyOrderStep(current, timer.kind() == Timer.Kind.EXPIRY
                        ? machine.expire(current, now) : machine.orphanTimeout(current, now));
            }
        }

        private void applyOrderStep(final Order before, final OrderStep step) {
            if (step.order() != before) {
                orders.put(step.order().orderId(), step.order());
            }
            timers.removeAll(step.timersToClear());
            timers.addAll(step.timersToSet());
            step.stockCommands().forEach(c -> enqueue("sku:" + c.sku(), c));
            step.outcomes().forEach(this::recordOutcome);
            final Order after = step.order();
            if (after != null && after.status().isDecided() && after.status() != OrderStatus.RESERVED) {
                assertEquals(Map.of(), after.locked(), where() + " a " + after.status() + " order holds no locks");
            }
        }

        private void assertEnd() {
            for (final Order order : orders.values()) {
                if (order.status() == OrderStatus.PENDING) {
                    fail(where() + " order left pending with every reply delivered: " + order);
                }
                if (order.status() == OrderStatus.AWAITING_ORDER) {
                    assertEquals(List.of(), order.held(), where() + " held events outlived their grace");
                }
                if (order.status() == OrderStatus.RESERVED) {
                    assertEquals(Long.MAX_VALUE, order.expiresAt(), where() + " only endless holds stay reserved");
                }
            }
            for (final String sku : SKUS) {
                final StockLevel level = levels.getOrDefault(sku, StockLevel.empty(sku));
                final long lockedByOrders = orders.values().stream()
                        .mapToLong(o -> o.locked().getOrDefault(sku, 0L)).sum();
                assertEquals(lockedByOrders, level.locked(), where() + " locked units of " + sku);
                assertEquals(expectedOnHand.getOrDefault(sku, 0L), level.onHand(), where() + " on hand of " + sku);
                assertTrue(level.invariantsHold(), where() + " " + level);
            }
        }
    }
}
