-- Runs once, on the first start of an empty data volume (the postgres image's init hook).
-- Superset keeps its own metadata (users, charts, dashboards) in a database of its own, apart
-- from `orders`, which the bridge migrates and fills.
CREATE DATABASE superset;
