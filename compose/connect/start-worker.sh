#!/usr/bin/env bash
# Starts the Kafka Connect worker with the properties file $1, after writing the reporting database's
# password (DB_PASSWORD) to SECRETS_FILE under the key "password". The connectors name it
# ${file:SECRETS_FILE:password}, which Connect's FileConfigProvider resolves on this worker, the way the
# in-process worker of the reporting tests does (io.stockline.reporting.ReportingConnectors): the password
# never reaches Connect's config topic, its REST API or its logs.
set -euo pipefail

: "${SECRETS_FILE:?}" "${1:?usage: start-worker.sh WORKER_PROPERTIES}"

mkdir -p "$(dirname "$SECRETS_FILE")"
umask 077
# A Java properties file: a backslash, and a space that starts the value, must be escaped.
escaped="$(printf '%s' "${DB_PASSWORD:-}" | sed -e 's/\\/\\\\/g' -e 's/^ /\\ /')"
printf 'password=%s\n' "$escaped" > "$SECRETS_FILE"

exec /opt/kafka/bin/connect-distributed.sh "$1"
