#!/usr/bin/env bash
# One-shot of the compose stack (service superset-init): prepares Superset's metadata database,
# the administrator and the roles, then imports the order dashboard from the repository.
# Every step is idempotent, so running it again (each `docker compose up`) is harmless:
# migrations are versioned, an existing admin is kept as it is (its password too), and the import
# overwrites the dashboard, charts and datasets by UUID.
# `npm run superset` runs it too (src/superset/server.ts), with a SQLite metadata database; with
# --import-only it skips straight to the import (the metadata database is already set up).
set -euo pipefail
import_only=false
if [ "${1:-}" = "--import-only" ]; then import_only=true; fi

admin_user="${SUPERSET_ADMIN_USER:?SUPERSET_ADMIN_USER is not set: add it to .env (see .env.example)}"
admin_password="${SUPERSET_ADMIN_PASSWORD:?SUPERSET_ADMIN_PASSWORD is not set: add it to .env (see .env.example)}"
admin_email="${SUPERSET_ADMIN_EMAIL:-admin@example.com}"
here="$(cd "$(dirname "$0")" && pwd)"
bundle="${SUPERSET_BUNDLE_DIR:-$here/dashboard}"

if [ "$import_only" = false ]; then
  echo "== superset db upgrade"
  superset db upgrade

  echo "== superset fab create-admin ($admin_user)"
  superset fab create-admin --username "$admin_user" --password "$admin_password" \
    --firstname Superset --lastname Admin --email "$admin_email"

  echo "== superset init"
  superset init
fi

echo "== import the dashboard bundle from $bundle"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
python "$here/import_bundle.py" "$bundle" "$workdir/order-dashboard.zip"
superset import-dashboards -p "$workdir/order-dashboard.zip" -u "$admin_user"
echo "== superset-init done"
