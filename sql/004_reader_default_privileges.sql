-- Tables and views a later migration creates are readable by order_reader without a GRANT of their
-- own: a new analytics view must not break the read-only dashboard. Default privileges belong to
-- the role that creates the objects, that is the migrating user; the bridge gets nothing by default
-- (its writes are granted table by table in 003).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO order_reader', current_schema());
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'default privileges for order_reader not set: %', SQLERRM;
END
$$;
