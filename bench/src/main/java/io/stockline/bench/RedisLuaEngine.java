package io.stockline.bench;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.OrderStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The usual Redis answer: per SKU an {@code available}, a {@code locked} and an {@code onHand} counter;
 * one Lua script reserves every line of an order or none (checks {@code available >= qty} for all, then
 * {@code DECRBY}), others commit, release, refund, cancel lines, ship and take returns, each allowed only
 * from the order's right status. The units a partial step moves are worked out by the driver from the
 * order's lines, as a shop's service would from its own order record; the script checks the status and
 * moves them with it, atomically. A partial cancel keeps, in the order's hash, what each line still holds.
 * Several connections, each pipelining a batch of scripts per round trip.
 *
 * <p>Redis keeps it all in memory: with the server as configured here (no RDB, no AOF) a crash loses
 * every reservation. The ledger's figures are for state that survives one.
 */
final class RedisLuaEngine extends WorkerPoolEngine {

    /** How the Redis engine is set up. */
    record Settings(URI uri, int connections, int pipeline) {
    }

    static final String NAME = "redis-lua";

    /**
     * Lua: for each of the order's n lines, the same change by the line's quantity ({@code quantity}, an
     * expression of i) to its SKU's available units (KEYS[2 + i]) and to its locked units (KEYS[2 + n + i]).
     */
    private static String eachLine(final String available, final String locked, final String quantity) {
        return """
                for i = 1, n do
                  redis.call('%s', KEYS[2 + i], %s)
                  redis.call('%s', KEYS[2 + n + i], %s)
                end
                """.formatted(available, quantity, locked, quantity);
    }

    /**
     * Lua, opening a script that settles a reserved order: refuses any other, and sets q[i] to the units line i
     * holds locked: the order's quantities (ARGV[3 + i]), or after a partial cancel (AMENDED) what it left.
     */
    private static final String HELD = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if status ~= 'RESERVED' and status ~= 'AMENDED' then return 0 end
            local n = #ARGV - 3
            local q = {}
            for i = 1, n do
              q[i] = ARGV[3 + i]
              if status == 'AMENDED' then q[i] = redis.call('HGET', KEYS[1], 'r' .. i) end
            end
            """;

    private static final String RESERVE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
            local n = #ARGV - 3
            if tonumber(ARGV[2]) <= tonumber(ARGV[3]) then
              redis.call('HSET', KEYS[1], 'status', 'REJECTED')
              return 2
            end
            for i = 1, n do
              if tonumber(redis.call('GET', KEYS[2 + i]) or '0') < tonumber(ARGV[3 + i]) then
                redis.call('HSET', KEYS[1], 'status', 'REJECTED')
                return 0
              end
            end
            """ + eachLine("DECRBY", "INCRBY", "ARGV[3 + i]") + """
            redis.call('HSET', KEYS[1], 'status', 'RESERVED', 'exp', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            return 1
            """;
    /** ARGV[2] is SHIPMENT when the units stay allocated until shipped: then no counter moves. */
    private static final String COMMIT = HELD + """
            if ARGV[2] ~= 'SHIPMENT' then
            """ + eachLine("DECRBY", "DECRBY", "q[i]") + """
            end
            redis.call('HSET', KEYS[1], 'status', 'CONFIRMED')
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """;
    private static final String RELEASE = HELD + """
            if ARGV[2] == 'EXPIRED' and tonumber(redis.call('HGET', KEYS[1], 'exp')) > tonumber(ARGV[3]) then
              return 0
            end
            """ + eachLine("INCRBY", "DECRBY", "q[i]") + """
            redis.call('HSET', KEYS[1], 'status', ARGV[2])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """;
    /**
     * A refund, a partial cancel, a shipment or a return: allowed from the reserved statuses (ARGV[2] HELD) or
     * the paid ones (PAID); moves each line's available, locked and on-hand units by ARGV[3 + 3(i - 1) + 1..3]
     * (KEYS[2 + 3(i - 1) + 1..3]) and sets status ARGV[3]. From HELD it keeps the units each line still holds,
     * ARGV[3 + 3n + i], for a later capture, cancellation or expiry.
     */
    private static final String STEP = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if ARGV[2] == 'HELD' then
              if status ~= 'RESERVED' and status ~= 'AMENDED' then return 0 end
            elseif status ~= 'CONFIRMED' and status ~= 'SHIPPED' and status ~= 'PARTIALLY_REFUNDED' then
              return 0
            end
            local n = (#ARGV - 3) / 4
            for i = 1, n do
              for c = 1, 3 do
                local delta = tonumber(ARGV[3 + 3 * (i - 1) + c])
                if delta ~= 0 then redis.call('INCRBY', KEYS[2 + 3 * (i - 1) + c], delta) end
              end
              if ARGV[2] == 'HELD' then redis.call('HSET', KEYS[1], 'r' .. i, ARGV[3 + 3 * n + i]) end
            end
            redis.call('HSET', KEYS[1], 'status', ARGV[3])
            if ARGV[2] == 'HELD' and ARGV[3] ~= 'AMENDED' then redis.call('ZREM', KEYS[2], ARGV[1]) end
            return 1
            """;
    private static final int LOAD_BATCH = 5_000;
    private static final int REAP_BATCH = 1_000;

    private final Settings settings;
    private final List<Jedis> connections = new ArrayList<>();
    private Jedis control;
    private Jedis reaper;
    private String prefix;
    private String reserveSha;
    private String commitSha;
    private String releaseSha;
    private String stepSha;

    RedisLuaEngine(final Settings settings) {
        super(NAME);
        this.settings = settings;
    }

    @Override
    public void prepare(final Scenario run, final OutcomeLog outcomes) {
        try {
            control = connect();
            control.ping();
        } catch (final JedisConnectionException e) {
            throw new EngineUnavailableException("Redis is not reachable at " + settings.uri().getHost() + ":"
                    + settings.uri().getPort() + " (" + e.getMessage() + ")", e);
        }
        prefix = "sb:" + run.runId() + ":";
        reserveSha = control.scriptLoad(RESERVE);
        commitSha = control.scriptLoad(COMMIT);
        releaseSha = control.scriptLoad(RELEASE);
        stepSha = control.scriptLoad(STEP);
        pid = localPid(run);
        loadStock(run);
        for (int i = 0; i < settings.connections(); i++) {
            connections.add(connect());
        }
        reaper = connect();
        startWorkers(run, outcomes, settings.connections(), settings.pipeline(),
                io.stockline.topology.LedgerConfig.DEFAULT_TIMER_INTERVAL.toMillis());
    }

    private Jedis connect() {
        final JedisClientConfig config = DefaultJedisClientConfig.builder()
                .timeoutMillis(10_000)
                .clientName(ResourceProbe.DRIVER_PREFIX + NAME)
                .build();
        return new Jedis(new HostAndPort(settings.uri().getHost(), settings.uri().getPort()), config);
    }

    private OptionalLong localPid(final Scenario run) {
        if (!isLoopback(settings.uri().getHost())) {
            return OptionalLong.empty();
        }
        for (final String line : control.info("server").split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                return OptionalLong.of(Long.parseLong(line.substring("process_id:".length()).trim()));
            }
        }
        return OptionalLong.empty();
    }

    private void loadStock(final Scenario run) {
        Pipeline pipeline = control.pipelined();
        for (int sku = 0; sku < run.skuCount(); sku++) {
            final String stock = String.valueOf(run.initialStock(sku));
            pipeline.mset(available(run, sku), stock, locked(run, sku), "0", onHand(run, sku), stock);
            if ((sku + 1) % LOAD_BATCH == 0) {
                pipeline.sync();
                pipeline.close();
                pipeline = control.pipelined();
            }
        }
        pipeline.sync();
        pipeline.close();
    }

    @Override
    protected void process(final int worker, final List<Long> batch) {
        final List<Response<Object>> responses = new ArrayList<>(batch.size());
        final long now = System.currentTimeMillis();
        try (Pipeline pipeline = connections.get(worker).pipelined()) {
            for (final long event : batch) {
                responses.add(call(pipeline, event, now));
            }
            pipeline.sync();
        }
        final long nowNanos = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            record(batch.get(i), (Long) responses.get(i).get(), nowNanos);
        }
    }

    private Response<Object> call(final Pipeline pipeline, final long event, final long nowMillis) {
        final int order = Scenario.orderOf(event);
        return switch (Scenario.kindOf(event)) {
            case PLACE -> script(pipeline, reserveSha, order, Counter.AVAILABLE, Counter.LOCKED,
                    String.valueOf(placedAt(order) + scenario.holdMillis(order)), String.valueOf(nowMillis));
            case CAPTURE -> script(pipeline, commitSha, order, Counter.LOCKED, Counter.ON_HAND,
                    scenario.spec().deductOn() == DeductOn.SHIPMENT ? "SHIPMENT" : "", "");
            case FAIL, CANCEL -> script(pipeline, releaseSha, order, Counter.AVAILABLE, Counter.LOCKED,
                    OrderStatus.CANCELLED.name(), String.valueOf(nowMillis));
            case REFUND, CANCEL_LINES, SHIP_LINES, SHIP_REST, RETURN_RESTOCKED, RETURN_DAMAGED -> step(pipeline, event);
        };
    }

    /** KEYS: the order, the expiry set, each line's three counters; ARGV: id, HELD or PAID, status, deltas, locked. */
    private Response<Object> step(final Pipeline pipeline, final long event) {
        final int order = Scenario.orderOf(event);
        final Scenario.Step step = scenario.step(event);
        final int lines = scenario.lineCount(order);
        final List<String> keys = new ArrayList<>(2 + 3 * lines);
        final List<String> args = new ArrayList<>(3 + 4 * lines);
        keys.add(prefix + "order:" + scenario.orderId(order));
        keys.add(prefix + "expiries");
        args.add(scenario.orderId(order));
        args.add(Scenario.kindOf(event) == Scenario.Kind.CANCEL_LINES ? "HELD" : "PAID");
        args.add(step.status().name());
        for (int line = 0; line < lines; line++) {
            final int sku = scenario.lineSku(order, line);
            keys.add(available(scenario, sku));
            keys.add(locked(scenario, sku));
            keys.add(onHand(scenario, sku));
            args.add(String.valueOf(step.available()[line]));
            args.add(String.valueOf(step.locked()[line]));
            args.add(String.valueOf(step.onHand()[line]));
        }
        for (int line = 0; line < lines; line++) {
            args.add(String.valueOf(step.lockedAfter()[line]));
        }
        return pipeline.evalsha(stepSha, keys, args);
    }

    private void record(final long event, final long result, final long nowNanos) {
        final int order = Scenario.orderOf(event);
        final Scenario.Kind kind = Scenario.kindOf(event);
        if (kind == Scenario.Kind.PLACE) {
            if (result < 0) {
                fail("order " + scenario.orderId(order) + " was already known to Redis");
                return;
            }
            log.record(order, result == 1 ? OrderStatus.RESERVED : OrderStatus.REJECTED, result == 2, nowNanos);
        } else if (result == 1) {
            log.record(order, switch (kind) {
                case CAPTURE -> OrderStatus.CONFIRMED;
                case FAIL, CANCEL -> OrderStatus.CANCELLED;
                default -> scenario.step(event).status();
            }, false, nowNanos);
        } else {
            log.refused();
        }
    }

    @Override
    protected void reapDue(final long nowMillis) {
        final List<String> due = reaper.zrangeByScore(prefix + "expiries", "-inf", String.valueOf(nowMillis), 0,
                REAP_BATCH);
        if (due.isEmpty()) {
            return;
        }
        final List<Response<Object>> responses = new ArrayList<>(due.size());
        final List<Integer> orders = new ArrayList<>(due.size());
        try (Pipeline pipeline = reaper.pipelined()) {
            for (final String orderId : due) {
                final int order = scenario.orderIndex(orderId);
                orders.add(order);
                responses.add(script(pipeline, releaseSha, order, Counter.AVAILABLE, Counter.LOCKED,
                        OrderStatus.EXPIRED.name(), String.valueOf(nowMillis)));
            }
            pipeline.sync();
        }
        final long nowNanos = System.nanoTime();
        for (int i = 0; i < orders.size(); i++) {
            if ((Long) responses.get(i).get() == 1) {
                log.record(orders.get(i), OrderStatus.EXPIRED, false, nowNanos);
            }
        }
    }

    /** KEYS: the order, the expiry set, then one counter of each line, then another; ARGV: id, two values, quantities. */
    private Response<Object> script(final Pipeline pipeline, final String sha, final int order, final Counter first,
                                    final Counter second, final String value1, final String value2) {
        final int lines = scenario.lineCount(order);
        final List<String> keys = new ArrayList<>(2 + 2 * lines);
        final List<String> args = new ArrayList<>(3 + lines);
        keys.add(prefix + "order:" + scenario.orderId(order));
        keys.add(prefix + "expiries");
        for (int line = 0; line < lines; line++) {
            keys.add(first.key(this, scenario, scenario.lineSku(order, line)));
        }
        for (int line = 0; line < lines; line++) {
            keys.add(second.key(this, scenario, scenario.lineSku(order, line)));
        }
        args.add(scenario.orderId(order));
        args.add(value1);
        args.add(value2);
        for (int line = 0; line < lines; line++) {
            args.add(String.valueOf(scenario.lineQuantity(order, line)));
        }
        return pipeline.evalsha(sha, keys, args);
    }

    private enum Counter {
        AVAILABLE, LOCKED, ON_HAND;

        String key(final RedisLuaEngine engine, final Scenario run, final int sku) {
            return switch (this) {
                case AVAILABLE -> engine.available(run, sku);
                case LOCKED -> engine.locked(run, sku);
                case ON_HAND -> engine.onHand(run, sku);
            };
        }
    }

    private String available(final Scenario run, final int sku) {
        return prefix + "available:" + run.skuName(sku);
    }

    private String locked(final Scenario run, final int sku) {
        return prefix + "locked:" + run.skuName(sku);
    }

    private String onHand(final Scenario run, final int sku) {
        return prefix + "onhand:" + run.skuName(sku);
    }

    @Override
    public Levels levels() {
        final Levels levels = new Levels(scenario.skuCount());
        for (int from = 0; from < scenario.skuCount(); from += LOAD_BATCH) {
            final int to = Math.min(scenario.skuCount(), from + LOAD_BATCH);
            final List<String> keys = new ArrayList<>();
            for (int sku = from; sku < to; sku++) {
                keys.add(onHand(scenario, sku));
                keys.add(available(scenario, sku));
                keys.add(locked(scenario, sku));
            }
            final List<String> values = control.mget(keys.toArray(String[]::new));
            for (int sku = from; sku < to; sku++) {
                final int at = (sku - from) * 3;
                if (values.get(at) != null) {
                    levels.put(sku, Long.parseLong(values.get(at)), Long.parseLong(values.get(at + 1)),
                            Long.parseLong(values.get(at + 2)));
                }
            }
        }
        return levels;
    }

    @Override
    public Map<String, Object> settings() {
        final Map<String, Object> described = new LinkedHashMap<>();
        described.put("server", settings.uri().getHost() + ":" + settings.uri().getPort());
        described.put("connections", settings.connections());
        described.put("pipeline", settings.pipeline());
        if (control != null) {
            described.put("redisVersion", infoField("server", "redis_version"));
            described.put("persistence", "appendonly=" + control.configGet("appendonly").get("appendonly")
                    + ", save='" + control.configGet("save").get("save") + "'");
        }
        return described;
    }

    private String infoField(final String section, final String field) {
        for (final String line : control.info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "unknown";
    }

    /** Deletes this run's keys and closes every connection. */
    @Override
    public void close() {
        stopWorkers();
        if (control != null && prefix != null) {
            try {
                deleteRunKeys();
            } catch (final RuntimeException e) {
                // Leaving keys behind is untidy, not wrong: every key carries the run id.
            }
        }
        connections.forEach(Jedis::close);
        if (reaper != null) {
            reaper.close();
        }
        if (control != null) {
            control.close();
        }
    }

    private void deleteRunKeys() {
        final ScanParams match = new ScanParams().match(prefix + "*").count(LOAD_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            final ScanResult<String> page = control.scan(cursor, match);
            if (!page.getResult().isEmpty()) {
                control.unlink(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
