-- The bridge may run as a login granted order_bridge, which creates nothing. The owner
-- (DATABASE_URL) applies the migrations before the bridge starts (npm start does, or
-- src/db/cli.ts); the bridge then only checks on start that nothing is missing, which needs
-- SELECT on schema_migrations (order_reader has it since 003: every table of the schema).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_bridge') THEN
    GRANT SELECT ON schema_migrations TO order_bridge;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'SELECT on schema_migrations not granted to order_bridge: %', SQLERRM;
END
$$;
