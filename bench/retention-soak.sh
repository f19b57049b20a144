#!/usr/bin/env bash
# Bounded-state soak: runs `stockline run` with a short order retention, drives ORDERS mixed orders through it
# with `stockline bench --ledger-url`, and prints every SAMPLE seconds how big the ledger's state is: the
# orders and applied-adjustments RocksDB stores (all tasks), their changelogs on the embedded broker's disk,
# and how many orders were decided and forgotten (the difference is about what the orders store holds: orders
# cancelled before they were decided are not counted as decided). With the retention working,
# the sizes grow for about 1.5 x the retention and then stay flat while orders keep coming.
#
# The changelogs get small segments and an eager log cleaner (topic.* settings below) so that compaction,
# which only ever touches closed segments, shows within minutes instead of after a 1 GiB segment fills.
#
# Usage: bench/retention-soak.sh [DIR]
#   (ORDERS=2000000 RETENTION=5m HOLD=3m GRACE=1m SAMPLE=30 JAR=cli/target/stockline.jar)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$(mktemp -d /tmp/stockline-soak.XXXXXX)}"
jar="${JAR:-$root/cli/target/stockline.jar}"
orders="${ORDERS:-2000000}"
retention="${RETENTION:-5m}"
# The hold and grace must stay shorter than the retention, and the hold longer than the slowest order's
# payment takes to arrive under a full-speed load, or the bench's checks count expiries it did not plan.
hold="${HOLD:-3m}"
grace="${GRACE:-1m}"
sample="${SAMPLE:-30}"
kafka_port="${KAFKA_PORT:-19092}"
http_port="${HTTP_PORT:-18080}"
mkdir -p "$dir"

cat > "$dir/kafka.properties" <<PROPS
topic.segment.bytes=8388608
topic.segment.ms=30000
topic.min.cleanable.dirty.ratio=0.1
topic.delete.retention.ms=30000
PROPS

java -jar "$jar" run --data-dir "$dir/data" --kafka-port "$kafka_port" --http-port "$http_port" \
  --default-hold "$hold" --orphan-grace "$grace" --order-retention "$retention" \
  --kafka-config "$dir/kafka.properties" > "$dir/run.log" 2>&1 &
ledger=$!
trap 'kill -TERM $ledger 2>/dev/null; wait $ledger 2>/dev/null || true' EXIT

deadline=$((SECONDS + 180))
until curl -sf "http://127.0.0.1:$http_port/ready" > /dev/null; do
  if ((SECONDS > deadline)) || ! kill -0 $ledger 2>/dev/null; then
    echo "the ledger did not get ready; see $dir/run.log" >&2
    exit 1
  fi
  sleep 1
done

# No HOLD orders in the mix: the bench expects those to stay RESERVED, which the short hold would not let them.
java -jar "$jar" bench --workload mixed --skus 100000 --orders "$orders" --progress lines \
  --mix pay=70,fail=8,cancel=7,refund=5,expire=10 \
  --bootstrap-servers "127.0.0.1:$kafka_port" --ledger-url "http://127.0.0.1:$http_port" \
  --out "$dir/bench" > "$dir/bench.log" 2>&1 &
bench=$!

# Blocks on disk, not apparent sizes: Kafka preallocates its index files sparsely.
mib() { du -sck "$@" 2>/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}'; }
metric() {
  curl -s "http://127.0.0.1:$http_port/metrics" | awk -v name="$1" -v label="$2" \
    'index($0, name) == 1 && index($0, label) { sum += $NF } END { printf "%.0f", sum }'
}
report() {
  local streams="$dir/data/streams" kafka="$dir/data/kafka"
  local decided forgotten
  decided=$(( $(metric kafka_stream_stockline_outcomes_total 'status="RESERVED"') \
    + $(metric kafka_stream_stockline_outcomes_total 'status="REJECTED"') ))
  forgotten=$(metric kafka_stream_stockline_forgotten_total 'store="orders-store"')
  printf '%6d s | decided %8d, forgotten %8d, kept ~%7d | orders store %7s MiB | adjustments store %6s MiB | changelogs: orders %7s MiB, adjustments %6s MiB | adjustment ids forgotten %7s\n' \
    "$SECONDS" "$decided" "$forgotten" "$((decided - forgotten))" "$(mib "$streams"/*/*/rocksdb/orders-store)" \
    "$(mib "$streams"/*/*/rocksdb/applied-adjustments-store)" \
    "$(mib "$kafka"/*orders-store-changelog-*)" "$(mib "$kafka"/*applied-adjustments-store-changelog-*)" \
    "$(metric kafka_stream_stockline_forgotten_total 'store="applied-adjustments-store"')"
}

echo "soak: $orders mixed orders, retention $retention, default hold $hold, orphan grace $grace, in $dir"
SECONDS=0
while kill -0 $bench 2>/dev/null; do
  report
  sleep "$sample"
done
wait $bench && status=0 || status=$?
report
echo "bench exited $status; its summary:"
tail -25 "$dir/bench.log"
