#!/usr/bin/env bash
# The compose one-shot postgres-logins, after the migrations, as the superuser (PGHOST, PGUSER,
# PGPASSWORD, PGDATABASE from its environment): the login the bridge writes with, orders_bridge,
# member of the group role order_bridge that sql/003_roles.sql grants the bridge's tables to. It
# can write those tables and create nothing. Made if missing, its password set from
# ORDERS_BRIDGE_PASSWORD on every run, so changing .env and `docker compose up` is enough.
set -euo pipefail
: "${ORDERS_BRIDGE_PASSWORD:?ORDERS_BRIDGE_PASSWORD is not set: add it to .env (see .env.example)}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --set bridge_password="$ORDERS_BRIDGE_PASSWORD" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_bridge') THEN
    RAISE EXCEPTION 'role order_bridge is missing: the migrations (sql/003_roles.sql) have not run';
  END IF;
END
$$;
SELECT 'CREATE ROLE orders_bridge' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orders_bridge') \gexec
ALTER ROLE orders_bridge WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'bridge_password';
GRANT order_bridge TO orders_bridge;
SQL
echo "postgres-logins: orders_bridge is ready (member of order_bridge)"
