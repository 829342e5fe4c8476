#!/usr/bin/env bash
# Runs once, on the first start of an empty data volume (the postgres image's init hook, as the
# superuser, on database `orders`). Superset reads the orders through a login role of its own,
# superset_reader, member of the read-only group role order_reader that the migrations grant
# SELECT to (sql/003_roles.sql creates order_reader only if missing, so creating it here first is
# compatible). Its sessions are read-only too, so SQL Lab cannot change the data.
set -euo pipefail
: "${ORDERS_READER_PASSWORD:?ORDERS_READER_PASSWORD is not set: add it to .env (see .env.example)}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set reader_password="$ORDERS_READER_PASSWORD" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    CREATE ROLE order_reader NOLOGIN;
  END IF;
END
$$;
CREATE ROLE superset_reader LOGIN PASSWORD :'reader_password' IN ROLE order_reader;
ALTER ROLE superset_reader SET default_transaction_read_only = on;
SQL
