#!/usr/bin/env bash
# One-shot of the compose stack, before the Temporal server starts: creates Temporal's two
# databases on its Postgres and brings their schemas to the versions this admin-tools image ships,
# with temporal-sql-tool (what Temporal's deprecated auto-setup image did at every start).
#   SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (read by temporal-sql-tool itself)
#   TEMPORAL_DB, TEMPORAL_VISIBILITY_DB: the database names (the server's DBNAME, VISIBILITY_DBNAME)
# Idempotent, so it runs on every `docker compose up`: create-database accepts an existing
# database, setup-schema -v 0.0 leaves a newer schema alone, update-schema applies only the
# versions a database does not have yet (this is also how a server upgrade migrates the schema).
set -euo pipefail

: "${SQL_HOST:?SQL_HOST must name the Postgres of Temporal}"
: "${SQL_PASSWORD:?SQL_PASSWORD must be set}"
default_db="${TEMPORAL_DB:-temporal}"
visibility_db="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"
schema_root="/etc/temporal/schema/postgresql/v12"

setup() {
  local db="$1" dir="$2"
  echo "database $db on $SQL_HOST: create, setup, update-schema from $dir"
  temporal-sql-tool --database "$db" create-database
  temporal-sql-tool --database "$db" setup-schema -v 0.0
  temporal-sql-tool --database "$db" update-schema -d "$dir"
}

setup "$default_db" "$schema_root/temporal/versioned"
setup "$visibility_db" "$schema_root/visibility/versioned"
echo "Temporal schemas ready: $default_db, $visibility_db"
