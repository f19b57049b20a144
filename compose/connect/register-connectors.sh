#!/usr/bin/env bash
# Registers the reporting connectors with the Kafka Connect worker, then waits until they run.
#
# Each file of CONNECTOR_FILES in CONNECTOR_DIR (connectors/src/main/connect: the files the reporting tests
# use) is one connector, {"name": ..., "config": {...}}. Its placeholders are filled in the way
# io.stockline.reporting.ReportingConnectors.forDatabase fills them: a setting whose whole value is
# ${jdbc.url} or ${db.user} becomes JDBC_URL or DB_USER, and ${db.password} becomes a reference to the
# password in the worker's SECRETS_FILE, ${file:SECRETS_FILE:password}, which the worker resolves
# (start-worker.sh writes the file). Safe to run again: PUT /connectors/NAME/config creates the connector
# or updates it.
#
# Environment: CONNECT_URL, CONNECTOR_DIR, CONNECTOR_FILES (separated by spaces), JDBC_URL, DB_USER,
# SECRETS_FILE, and TIMEOUT_SECONDS (how long to wait for them to run, default 120).
set -euo pipefail

: "${CONNECT_URL:?}" "${CONNECTOR_DIR:?}" "${CONNECTOR_FILES:?}" "${JDBC_URL:?}" "${DB_USER:?}" "${SECRETS_FILE:?}"
timeout_seconds="${TIMEOUT_SECONDS:-120}"

fail() {
  echo "register-connectors: $*" >&2
  exit 1
}

[[ $SECRETS_FILE != *[:\}]* ]] || fail "Kafka Connect cannot name a secrets file whose path holds ':' or '}': $SECRETS_FILE"

# The "config" object of connector file $1, placeholders filled in.
settings() {
  # shellcheck disable=SC2016 # $url, $user and $secrets are jq's variables
  jq --arg url "$JDBC_URL" --arg user "$DB_USER" --arg secrets "$SECRETS_FILE" '
    .config | map_values(
      if . == "${jdbc.url}" then $url
      elif . == "${db.user}" then $user
      elif . == "${db.password}" then "${file:\($secrets):password}"
      else . end)' "$1"
}

# RUNNING once connector $1 and all its tasks run, FAILED as soon as one of them failed, else PENDING.
state() {
  curl -fsS "$CONNECT_URL/connectors/$1/status" 2>/dev/null | jq -r '
    [.connector.state] + [.tasks[].state]
    | if any(. == "FAILED") then "FAILED"
      elif length > 1 and all(. == "RUNNING") then "RUNNING"
      else "PENDING" end' 2>/dev/null || echo PENDING
}

names=()
# shellcheck disable=SC2086 # CONNECTOR_FILES is a list
for file in $CONNECTOR_FILES; do
  path="$CONNECTOR_DIR/$file"
  [[ -f $path ]] || fail "no connector file $path"
  name="$(jq -er '.name' "$path")" || fail "$path has no \"name\""
  if ! response="$(settings "$path" | curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' \
      --data-binary @- "$CONNECT_URL/connectors/$name/config")"; then
    echo "$response" >&2
    fail "Kafka Connect refused $name from $file (its answer above)"
  fi
  echo "register-connectors: $name from $file"
  names+=("$name")
done

deadline=$((SECONDS + timeout_seconds))
for name in "${names[@]}"; do
  while true; do
    case "$(state "$name")" in
      RUNNING)
        echo "register-connectors: $name is running"
        break
        ;;
      FAILED)
        curl -sS "$CONNECT_URL/connectors/$name/status" >&2 || true
        echo >&2
        fail "$name failed (its status above)"
        ;;
    esac
    ((SECONDS < deadline)) || fail "$name is not running after ${timeout_seconds}s"
    sleep 2
  done
done
