#!/usr/bin/env bash
# One-shot of the compose stack: registers the order workflow's custom search attributes.
#   register-search-attributes.sh Name=Type ...
# docker-compose.yml passes SEARCH_ATTRIBUTE_CLI_TYPES of src/workflows/contract.ts (a unit test
# keeps the two equal). Idempotent: the server accepts re-creating an attribute with the same
# type, and refuses another type with an error naming the attribute, which stops this script.
set -euo pipefail

address="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must name the Temporal frontend, e.g. temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 Name=Type ..." >&2
  exit 2
fi

for pair in "$@"; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if [ -z "$name" ] || [ "$name" = "$pair" ] || [ -z "$type" ]; then
    echo "bad argument '$pair': expected Name=Type" >&2
    exit 2
  fi
  echo "search attribute $name ($type) on $address, namespace $namespace"
  temporal operator search-attribute create --address "$address" --namespace "$namespace" \
    --name "$name" --type "$type"
done

temporal operator search-attribute list --address "$address" --namespace "$namespace"
