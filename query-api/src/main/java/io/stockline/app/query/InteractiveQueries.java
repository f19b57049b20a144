package io.stockline.app.query;

import io.stockline.schemas.api.StockPage;
import io.stockline.schemas.api.StockView;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import io.stockline.ledger.StockLevel;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers queries from the ledger's state stores, on whichever instance owns the key: Kafka Streams says
 * which instance and partition ({@code queryMetadataForKey}); if that is this instance (same host
 * <em>and</em> port) we read that one partition (IQv1, see {@link #partition}), otherwise we ask the owner's local-only
 * endpoint once. A rebalance, a store still restoring or an unreachable owner is {@link Lookup.Unavailable},
 * never a wait and never a guess.
 */
public final class InteractiveQueries implements LedgerQueries {

    private static final Serializer<String> KEYS = new StringSerializer();
    /** SKUs are ordered as the stores order them: by their UTF-8 bytes. */
    private static final Comparator<String> STORE_ORDER = Comparator.comparing(
            s -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);
    private static final Comparator<StockView> LOWEST_FIRST = Comparator.comparingLong(StockView::available)
            .thenComparing(StockView::sku, STORE_ORDER);

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> selfInfo;
    private final PeerClient peers;
    private final Duration retryAfter;
    private final StockViews views;
    private final Clock clock;

    /**
     * @param streams the running Kafka Streams, or null until it has been created
     * @param self    this instance's {@code application.server} (known once HTTP has bound its port)
     * @param views   how a stored level is shown
     * @param clock   the time a query is answered at, which says what has expired
     */
    public InteractiveQueries(final Supplier<KafkaStreams> streams, final Supplier<HostInfo> self,
                              final PeerClient peers, final Duration retryAfter, final StockViews views,
                              final Clock clock) {
        this.streams = streams;
        this.selfInfo = self;
        this.peers = peers;
        this.retryAfter = retryAfter;
        this.views = views;
        this.clock = clock;
    }

    @Override
    public Lookup<StockView> stock(final String sku, final String location, final boolean allowStale) {
        return routed(LedgerStores.STOCK_LEVELS, sku, allowStale, (key, stale) -> localStock(key, location, stale),
                (peer, stale) -> peers.stock(peer, sku, location, stale));
    }

    @Override
    public Lookup<OrderView> order(final String orderId, final boolean allowStale) {
        return routed(LedgerStores.ORDERS, orderId, allowStale, this::localOrder,
                (peer, stale) -> peers.order(peer, orderId, stale));
    }

    @Override
    public Lookup<StockView> localStock(final String sku, final String location, final boolean allowStale) {
        return readLocal(LedgerStores.STOCK_LEVELS, sku, allowStale,
                (StockLevel level) -> views.of(level, location, clock.millis()));
    }

    @Override
    public Lookup<OrderView> localOrder(final String orderId, final boolean allowStale) {
        // An order whose own event has not arrived (only early payments are held) does not exist yet.
        return readLocal(LedgerStores.ORDERS, orderId, allowStale,
                (Order order) -> order.status() == OrderStatus.AWAITING_ORDER ? null : OrderView.of(order));
    }

    @Override
    public Lookup<StockPage> stockPage(final String after, final int limit, final String product,
                                       final boolean allowStale) {
        final Lookup<List<StockView>> gathered = fromEveryInstance(allowStale,
                instance -> self().equals(instance) ? localStockPage(after, limit, product, allowStale)
                        : peers.stockPage(instance, after, limit, product, allowStale));
        if (!(gathered instanceof Lookup.Found<List<StockView>> found)) {
            return retyped(gathered);
        }
        final TreeMap<String, StockView> merged = new TreeMap<>(STORE_ORDER);
        found.value().forEach(item -> merged.putIfAbsent(item.sku(), item));
        final List<StockView> items = new ArrayList<>(merged.values()).subList(0, Math.min(limit, merged.size()));
        final String next = merged.size() > limit ? items.get(items.size() - 1).sku() : null;
        return new Lookup.Found<>(new StockPage(List.copyOf(items), next), found.servedBy());
    }

    @Override
    public Lookup<LowestStock> lowestStock(final int limit) {
        final Lookup<List<StockView>> gathered = fromEveryInstance(false,
                instance -> self().equals(instance) ? localLowestStock(limit) : peers.lowestStock(instance, limit));
        if (!(gathered instanceof Lookup.Found<List<StockView>> found)) {
            return retyped(gathered);
        }
        final List<StockView> lowest = found.value().stream().sorted(LOWEST_FIRST).limit(limit).toList();
        return new Lookup.Found<>(new LowestStock(lowest), found.servedBy());
    }

    @Override
    public Lookup<PartialPage> localLowestStock(final int limit) {
        return localShare(false, store -> {
            try (KeyValueIterator<String, StockLevel> iterator = store.all()) {
                return lowest(iterator, limit);
            }
        });
    }

    /**
     * Every instance's share of an answer, asked of each instance that holds stock levels, or Unavailable when
     * one does not answer or the shares do not cover every partition (a rebalance is going on).
     */
    private Lookup<List<StockView>> fromEveryInstance(final boolean allowStale,
                                                      final Function<HostInfo, Lookup<PartialPage>> ask) {
        final KafkaStreams running = runningStreams(allowStale);
        if (running == null) {
            return notRunning();
        }
        final List<StockView> items = new ArrayList<>();
        final Set<Integer> covered = new HashSet<>();
        for (final StreamsMetadata instance : running.streamsMetadataForStore(LedgerStores.STOCK_LEVELS)) {
            final Lookup<PartialPage> part = ask.apply(instance.hostInfo());
            if (!(part instanceof Lookup.Found<PartialPage> found)) {
                return unavailable("a part of the answer is missing: " + reason(part));
            }
            items.addAll(found.value().items());
            covered.addAll(found.value().partitions());
        }
        final int partitions = partitionCount(running);
        if (partitions == 0 || covered.size() < partitions) {
            return unavailable("only " + covered.size() + " of " + partitions + " partitions answered (rebalancing)");
        }
        return new Lookup.Found<>(items, self().host() + ":" + self().port());
    }

    /** The {@code limit} lowest of one partition, kept in a bounded heap: a scan holds no more than that. */
    private List<StockView> lowest(final KeyValueIterator<String, StockLevel> iterator, final int limit) {
        final PriorityQueue<StockView> highestOnTop = new PriorityQueue<>(LOWEST_FIRST.reversed());
        final long now = clock.millis();
        while (iterator.hasNext()) {
            highestOnTop.add(views.of(iterator.next().value, now));
            if (highestOnTop.size() > limit) {
                highestOnTop.poll();
            }
        }
        return new ArrayList<>(highestOnTop);
    }

    @Override
    public Lookup<PartialPage> localStockPage(final String after, final int limit, final String product,
                                              final boolean allowStale) {
        final Lookup<PartialPage> share = localShare(allowStale, store -> {
            final List<StockView> taken = new ArrayList<>();
            try (KeyValueIterator<String, StockLevel> iterator = store.range(after, null)) {
                takeAfter(iterator, after, product, limit + 1, taken);
            }
            return taken;
        });
        if (!(share instanceof Lookup.Found<PartialPage> found)) {
            return share;
        }
        final List<StockView> items = new ArrayList<>(found.value().items());
        items.sort(Comparator.comparing(StockView::sku, STORE_ORDER));
        return new Lookup.Found<>(new PartialPage(List.copyOf(items.subList(0, Math.min(limit + 1, items.size()))),
                found.value().partitions()), found.servedBy());
    }

    /**
     * What {@code read} takes from each partition of the stock levels this instance holds, and which partitions
     * those were. A partition not readable here now (restoring, migrating) is left out of the partitions
     * answered, so the answer it goes into is refused as incomplete rather than served short.
     */
    private Lookup<PartialPage> localShare(
            final boolean allowStale, final Function<ReadOnlyKeyValueStore<String, StockLevel>, List<StockView>> read) {
        final KafkaStreams running = runningStreams(allowStale);
        if (running == null) {
            return notRunning();
        }
        final List<StockView> items = new ArrayList<>();
        final Set<Integer> partitions = new HashSet<>();
        for (final int partition : localPartitions(running, allowStale)) {
            try {
                items.addAll(read.apply(this.<StockLevel>partition(running, LedgerStores.STOCK_LEVELS, partition,
                        allowStale)));
            } catch (final InvalidStateStoreException e) {
                continue;
            }
            partitions.add(partition);
        }
        return new Lookup.Found<>(new PartialPage(List.copyOf(items), partitions), self().host() + ":" + self().port());
    }

    private <T> Lookup<T> routed(final String store, final String key, final boolean allowStale,
                                 final LocalRead<T> local, final RemoteRead<T> remote) {
        final KafkaStreams running = runningStreams(allowStale);
        if (running == null) {
            return notRunning();
        }
        final KeyQueryMetadata owner = running.queryMetadataForKey(store, key, KEYS);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null) {
            return unavailable("the owner of this key is not known yet (rebalancing)");
        }
        if (self().equals(owner.activeHost())) {
            return local.read(key, allowStale);
        }
        final Lookup<T> answer = remote.read(owner.activeHost(), allowStale);
        if (!(answer instanceof Lookup.Unavailable<T>) || !allowStale) {
            return answer;
        }
        return fromStandby(owner, key, local, remote, answer);
    }

    /** With allowStale, a warm copy answers when the active owner cannot. */
    private <T> Lookup<T> fromStandby(final KeyQueryMetadata owner, final String key, final LocalRead<T> local,
                                      final RemoteRead<T> remote, final Lookup<T> activeAnswer) {
        for (final HostInfo standby : owner.standbyHosts()) {
            final Lookup<T> answer = self().equals(standby) ? local.read(key, true) : remote.read(standby, true);
            if (!(answer instanceof Lookup.Unavailable<T>)) {
                return answer;
            }
        }
        return activeAnswer;
    }

    private <S, V> Lookup<V> readLocal(final String store, final String key, final boolean allowStale,
                                       final Function<S, V> view) {
        final KafkaStreams running = runningStreams(allowStale);
        if (running == null) {
            return notRunning();
        }
        final KeyQueryMetadata owner = running.queryMetadataForKey(store, key, KEYS);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return unavailable("the owner of this key is not known yet (rebalancing)");
        }
        final S found;
        try {
            found = this.<S>partition(running, store, owner.partition(), allowStale).get(key);
        } catch (final InvalidStateStoreException e) {
            return unavailable("this instance cannot read partition " + owner.partition() + " of " + store + " now ("
                    + e.getMessage() + ")");
        }
        final V value = found == null ? null : view.apply(found);
        return value == null ? new Lookup.NotFound<>() : new Lookup.Found<>(value, self().host() + ":" + self().port());
    }

    /**
     * One partition of a store on this instance: the active copy, or with {@code allowStale} a standby's too.
     * Read through IQv1, not IQv2: in Kafka Streams 4.3 and 4.4 an IQv2 query takes the RocksDB store's
     * position lock before the store's own, a write takes them the other way round, and the two deadlock the
     * stream thread (KAFKA-19629; QueriesUnderLoadTest). An IQv1 read takes the store's lock alone.
     *
     * @throws InvalidStateStoreException when this instance cannot read that partition now
     */
    private <S> ReadOnlyKeyValueStore<String, S> partition(final KafkaStreams running, final String store,
                                                           final int partition, final boolean allowStale) {
        final StoreQueryParameters<ReadOnlyKeyValueStore<String, S>> parameters = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, S>keyValueStore()).withPartition(partition);
        return running.store(allowStale ? parameters.enableStaleStores() : parameters);
    }

    /** The partitions of the stock levels this instance holds: active ones, and with allowStale standbys. */
    private Set<Integer> localPartitions(final KafkaStreams running, final boolean allowStale) {
        final Set<Integer> partitions = new TreeSet<>();
        for (final StreamsMetadata instance : running.streamsMetadataForStore(LedgerStores.STOCK_LEVELS)) {
            if (self().equals(instance.hostInfo())) {
                final Set<TopicPartition> held = new HashSet<>(instance.topicPartitions());
                if (allowStale) {
                    held.addAll(instance.standbyTopicPartitions());
                }
                stockLevelPartitions(held).forEach(partitions::add);
            }
        }
        return partitions;
    }

    /**
     * Up to {@code atMost} levels after {@code after}, of {@code product} alone unless it is null. There is no index
     * by product: a product's page reads the partition until it has found enough, or to its end.
     */
    private void takeAfter(final KeyValueIterator<String, StockLevel> iterator, final String after,
                           final String product, final int atMost, final List<StockView> into) {
        final long now = clock.millis();
        int taken = 0;
        while (iterator.hasNext() && taken < atMost) {
            final StockLevel level = iterator.next().value;
            if (!level.sku().equals(after) && (product == null || isOf(level, product))) {
                into.add(views.of(level, now));
                taken++;
            }
        }
    }

    private static boolean isOf(final StockLevel level, final String product) {
        return level.product() != null && product.equals(level.product().productId());
    }

    private static int partitionCount(final KafkaStreams running) {
        final Set<Integer> partitions = new HashSet<>();
        for (final StreamsMetadata instance : running.metadataForAllStreamsClients()) {
            stockLevelPartitions(instance.topicPartitions()).forEach(partitions::add);
        }
        return partitions.size();
    }

    /** Among these, the partitions of the SKU commands: their tasks hold the stock levels. */
    private static Stream<Integer> stockLevelPartitions(final Collection<TopicPartition> held) {
        return held.stream().filter(tp -> tp.topic().equals(LedgerTopics.SKU_COMMANDS)).map(TopicPartition::partition);
    }

    private HostInfo self() {
        return selfInfo.get();
    }

    /** Streams when it can answer: RUNNING, or, for a stale read, REBALANCING too (standbys keep serving). */
    private KafkaStreams runningStreams(final boolean allowStale) {
        final KafkaStreams current = streams.get();
        if (current == null) {
            return null;
        }
        final KafkaStreams.State state = current.state();
        return state == KafkaStreams.State.RUNNING || allowStale && state == KafkaStreams.State.REBALANCING
                ? current : null;
    }

    private <T> Lookup<T> notRunning() {
        final KafkaStreams current = streams.get();
        return unavailable("Kafka Streams is " + (current == null ? "not started" : current.state()));
    }

    private <T> Lookup<T> unavailable(final String reason) {
        return new Lookup.Unavailable<>(reason, retryAfter);
    }

    /** An Unavailable or NotFound of one type as another: neither carries a value. */
    private static <T> Lookup<T> retyped(final Lookup<?> lookup) {
        return lookup instanceof Lookup.Unavailable<?> unavailable
                ? new Lookup.Unavailable<>(unavailable.reason(), unavailable.retryAfter()) : new Lookup.NotFound<>();
    }

    private static String reason(final Lookup<?> lookup) {
        return lookup instanceof Lookup.Unavailable<?> unavailable ? unavailable.reason() : "no answer";
    }

    @FunctionalInterface
    private interface LocalRead<T> {
        Lookup<T> read(String key, boolean allowStale);
    }

    @FunctionalInterface
    private interface RemoteRead<T> {
        Lookup<T> read(HostInfo peer, boolean allowStale);
    }
}
