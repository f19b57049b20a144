package io.stockline.app.console;

import io.javalin.http.sse.SseClient;
import io.stockline.app.Errors;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.query.PeerClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console page shows live: the figures of the whole group, made at most once a second and pushed to
 * every page that listens. Work is done only while someone looks: with no listener and no question, nothing
 * is read from Kafka and nothing is computed.
 */
public final class Console implements AutoCloseable {

    public static final String FIGURES_EVENT = "figures";
    private static final Duration TICK = Duration.ofSeconds(1);
    /** How old figures may be and still be served as they are. */
    private static final Duration STALE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final PeerClient peers;
    private final Supplier<KafkaClientConfig> kafka;
    private final String applicationId;
    private final Clock clock;
    private final LiveWindow window = new LiveWindow();
    private final OutputTail tail;
    private final Set<SseClient> listeners = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "stockline-console");
        thread.setDaemon(true);
        return thread;
    });
    private volatile KafkaAdmin admin;
    private volatile ConsoleFigures latest;
    private volatile long lastAsked;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param streams       Kafka Streams, null until it is created
     * @param self          this instance's advertised address, null until HTTP has bound
     * @param kafka         how to reach the cluster, null until it is known
     * @param applicationId the ledger's consumer group, whose lag is shown
     */
    public Console(final Supplier<KafkaStreams> streams, final Supplier<HostInfo> self, final PeerClient peers,
                   final Supplier<KafkaClientConfig> kafka, final String applicationId, final Clock clock) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tail = new OutputTail(() -> {
            final KafkaClientConfig config = kafka.get();
            return config == null ? null : config.consumer();
        }, window, clock);
    }

    /** A console with nothing to show but itself: for an HTTP API run without a ledger (route tests). */
    public static Console unconnected() {
        return new Console(() -> null, () -> null, new PeerClient(TICK), () -> null, "unconnected", Clock.systemUTC());
    }

    /**
     * The figures now: those the ticker made within the last {@link #STALE}, else made afresh (the first question
     * after a quiet spell waits for Kafka's answers; the next ones do not).
     */
    public ConsoleFigures figures() {
        startTicking();
        tail.touch();
        lastAsked = clock.millis();
        final ConsoleFigures known = latest;
        return known != null && known.at().plus(STALE).isAfter(clock.instant()) ? known : refresh();
    }

    /** The newest dead letters first, at most {@code limit}. */
    public List<DeadLetterView> deadLetters(final int limit) {
        tail.touch();
        return tail.latest(limit);
    }

    /** The newest stock alerts first, at most {@code limit}. */
    public List<StockAlertView> stockAlerts(final int limit) {
        tail.touch();
        return tail.latestAlerts(limit);
    }

    /** A page listening: it gets the figures now and then every second until it goes away. */
    public void listen(final SseClient client) {
        if (closed) {
            return;
        }
        client.keepAlive();
        client.onClose(() -> listeners.remove(client));
        listeners.add(client);
        client.sendEvent(FIGURES_EVENT, figures());
    }

    /**
     * Ends every page's event stream, before the HTTP server stops: an event written to a connection whose
     * server has gone sent Javalin round its exception handling for good, a core busy until the JVM ended.
     */
    public void letListenersGo() {
        for (final SseClient client : List.copyOf(listeners)) {
            listeners.remove(client);
            try {
                client.close();
            } catch (final RuntimeException e) {
                LOG.debug("A console page's stream did not close cleanly: {}", Errors.rootMessage(e));
            }
        }
    }

    /** The ticker starts with the first question, so a console nobody opens costs no thread. */
    private void startTicking() {
        if (!closed && ticking.compareAndSet(false, true)) {
            ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Keeps the figures fresh while a page listens or someone asked within {@link OutputTail#IDLE}. */
    private void tick() {
        if (listeners.isEmpty() && clock.millis() - lastAsked > OutputTail.IDLE.toMillis()) {
            return;
        }
        try {
            if (!listeners.isEmpty()) {
                tail.touch();
            }
            final ConsoleFigures figures = refresh();
            for (final SseClient client : listeners) {
                send(client, figures);
            }
        } catch (final RuntimeException e) {
            // A tick that fails must not end the schedule: the next one tries again.
            LOG.warn("The console could not make its figures: {}", Errors.rootMessage(e));
        }
    }

    private void send(final SseClient client, final ConsoleFigures figures) {
        if (client.terminated()) {
            listeners.remove(client);
            return;
        }
        try {
            client.sendEvent(FIGURES_EVENT, figures);
        } catch (final RuntimeException e) {
            listeners.remove(client);
        }
    }

    private synchronized ConsoleFigures refresh() {
        final Instant now = clock.instant();
        final ConsoleFigures made = new ConsoleFigures(now, address(self.get()), tail.state(), tail.skipped(),
                window.series(now.getEpochSecond()), consumerLag(), instances());
        latest = made;
        return made;
    }

    private Long consumerLag() {
        final KafkaClientConfig config = kafka.get();
        if (config == null) {
            return null;
        }
        try {
            if (admin == null) {
                admin = KafkaAdmin.connect(config);
            }
            return admin.groupLag(applicationId);
        } catch (final RuntimeException e) {
            LOG.debug("The console could not read the consumer lag: {}", Errors.rootMessage(e));
            return null;
        }
    }

    /** Every instance Kafka Streams knows of; before it knows any, this one alone. */
    private List<ConsoleFigures.InstanceView> instances() {
        final KafkaStreams running = streams.get();
        final HostInfo me = self.get();
        final List<ConsoleFigures.InstanceView> views = new ArrayList<>();
        final String ownState = running == null ? KafkaStreams.State.CREATED.name() : running.state().name();
        views.add(new ConsoleFigures.InstanceView(address(me), ownState, KafkaStreams.State.RUNNING.name().equals(ownState)));
        if (running != null) {
            for (final StreamsMetadata instance : running.metadataForAllStreamsClients()) {
                if (!instance.hostInfo().equals(me)) {
                    final String state = peers.streamsState(instance.hostInfo());
                    views.add(new ConsoleFigures.InstanceView(address(instance.hostInfo()), state,
                            KafkaStreams.State.RUNNING.name().equals(state)));
                }
            }
        }
        return List.copyOf(views);
    }

    private static String address(final HostInfo host) {
        return host == null ? "starting" : host.host() + ":" + host.port();
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        letListenersGo();
        tail.close();
        final KafkaAdmin opened = admin;
        if (opened != null) {
            opened.close();
        }
    }
}
