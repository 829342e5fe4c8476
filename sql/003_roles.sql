-- Least privilege: the bridge writes only its tables, the dashboard only reads. NOLOGIN group
-- roles; a deployment grants them to its login users (GRANT order_reader TO dashboard_user).
-- Hosted databases may refuse CREATE ROLE to the migrating user: then this step says so and the
-- grants are left to the database owner.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_bridge') THEN
    CREATE ROLE order_bridge NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_reader') THEN
    CREATE ROLE order_reader NOLOGIN;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO order_bridge, order_reader', current_schema());
  GRANT SELECT, INSERT, UPDATE ON order_info, customer_info, item_info, dead_letters TO order_bridge;
  GRANT SELECT ON sku_info TO order_bridge;
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO order_reader;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'roles order_bridge/order_reader not created: %', SQLERRM;
END
$$;
