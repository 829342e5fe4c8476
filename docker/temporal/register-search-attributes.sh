#!/usr/bin/env bash
# One-shot of the compose stack, once the Temporal server answers: makes the namespace (the
# server image creates none; retention TEMPORAL_RETENTION, default 7d) and registers the order
# workflow's custom search attributes in it.
#   register-search-attributes.sh Name=Type ...
# docker-compose.yml passes SEARCH_ATTRIBUTE_REGISTRATIONS of src/workflows/contract.ts (a unit test
# keeps the two equal). Idempotent: the server accepts re-creating an attribute with the same
# type, and refuses another type with an error naming the attribute, which stops this script.
set -euo pipefail

address="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must name the Temporal frontend, e.g. temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 Name=Type ..." >&2
  exit 2
fi

if temporal operator namespace describe --address "$address" --namespace "$namespace" > /dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  echo "creating namespace $namespace (retention ${TEMPORAL_RETENTION:-7d})"
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention "${TEMPORAL_RETENTION:-7d}"
fi

# A namespace just created reaches every server role within seconds (its cache refreshes): until
# then a registration can fail with "namespace not found". Bounded retries of that one condition.
create_attribute() {
  local name="$1" type="$2" attempt out
  for attempt in $(seq 1 30); do
    if out=$(temporal operator search-attribute create --address "$address" --namespace "$namespace" --name "$name" --type "$type" 2>&1); then
      return 0
    fi
    if ! grep -qi "not found" <<< "$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "namespace $namespace not visible yet (attempt $attempt); retrying"
    sleep 1 # the pause between two checks of that condition
  done
  echo "$out" >&2
  return 1
}

for pair in "$@"; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if [ -z "$name" ] || [ "$name" = "$pair" ] || [ -z "$type" ]; then
    echo "bad argument '$pair': expected Name=Type" >&2
    exit 2
  fi
  echo "search attribute $name ($type) on $address, namespace $namespace"
  create_attribute "$name" "$type"
done

temporal operator search-attribute list --address "$address" --namespace "$namespace"
