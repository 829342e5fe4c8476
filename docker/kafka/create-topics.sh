#!/usr/bin/env bash
# One-shot of the compose stack: creates the pipeline's topics.
#   create-topics.sh TOPIC ...
# docker-compose.yml passes topicNames() of src/config/config.ts (a unit test keeps them equal).
# Idempotent: --if-not-exists leaves an existing topic as it is.
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP must name a broker, e.g. kafka:29092}"
partitions="${TOPIC_PARTITIONS:-3}"
# The apache/kafka image keeps the tools here; KAFKA_BIN points elsewhere for a local run.
bin="${KAFKA_BIN:-/opt/kafka/bin}"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 TOPIC ..." >&2
  exit 2
fi

for topic in "$@"; do
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done

# Fail loudly if any topic is still missing (for example, a broker that refused the creation).
existing="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list)"
for topic in "$@"; do
  if ! grep -qx -- "$topic" <<<"$existing"; then
    echo "topic $topic is missing on $bootstrap after creation" >&2
    exit 1
  fi
done
echo "topics ready on $bootstrap: $*"
