#!/usr/bin/env bash
# Imports the dashboard bundle (docker/superset/dashboard) into a real Superset — the version the
# compose image pins, installed from PyPI into a virtualenv with the pins of
# docker/superset/requirements-local.txt (as `npm run superset` installs it) — with a SQLite metadata database, by
# running the compose stack's own docker/superset/init.sh. Then it runs every chart's query
# (its metrics and columns, through Superset's own query engine) against a real Postgres.
# Optional and not part of CI: the virtualenv is about 700 MB and takes a minute or two to install.
#
#   scripts/superset-import-check.sh POSTGRES_URL
#
# POSTGRES_URL: a migrated `orders` database, e.g. postgres://postgres:pw@127.0.0.1:5433/orders
# (the local stack's, after the bridge has run). SUPERSET_VENV: where the virtualenv lives
# (default: $TMPDIR/order-pipeline-superset-VERSION, reused between runs).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -ne 1 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
postgres_url="$1"

version="$(sed -n 's/^FROM apache\/superset:\([0-9.]*\)$/\1/p' docker/superset/Dockerfile)"
driver="$(grep -o 'psycopg2-binary==[0-9.]*' docker/superset/Dockerfile)"
[ -n "$version" ] && [ -n "$driver" ] || { echo "cannot read the versions from docker/superset/Dockerfile" >&2; exit 1; }
venv="${SUPERSET_VENV:-${TMPDIR:-/tmp}/order-pipeline-superset-$version}"

if [ ! -x "$venv/bin/superset" ]; then
  echo "== installing apache-superset==$version into $venv"
  python3 -m venv "$venv"
  # Every package pinned, as npm run superset installs it (the lock holds the driver and marshmallow 3).
  grep -qx "apache-superset==$version" docker/superset/requirements-local.txt \
    || { echo "docker/superset/requirements-local.txt does not pin apache-superset==$version" >&2; exit 1; }
  grep -qx "$driver" docker/superset/requirements-local.txt \
    || { echo "docker/superset/requirements-local.txt does not pin $driver" >&2; exit 1; }
  "$venv/bin/pip" install --quiet -r docker/superset/requirements-local.txt
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The same environment the compose file gives superset-init, pointed at the given Postgres.
eval "$("$venv/bin/python" - "$postgres_url" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit
u = urlsplit(sys.argv[1])
if u.scheme not in ("postgres", "postgresql") or not u.hostname or not u.path.strip("/"):
    sys.exit(f"expected postgres://user:password@host:port/database, got {sys.argv[1]!r}")
for name, value in {
    "POSTGRES_HOST": u.hostname, "POSTGRES_PORT": str(u.port or 5432),
    "POSTGRES_USER": unquote(u.username or "postgres"), "POSTGRES_PASSWORD": unquote(u.password or ""),
    "ORDERS_DB": u.path.strip("/"),
}.items():
    print(f"export {name}={shlex.quote(value)}")
PY
)"
export PATH="$venv/bin:$PATH"
# As the apache/superset image sets it.
export FLASK_APP="superset.app:create_app()"
# No __pycache__ in docker/superset: superset_config.py is imported from the repository.
export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH="$PWD/docker/superset"
export SUPERSET_CONFIG_PATH="$PWD/docker/superset/superset_config.py"
export SUPERSET_METADATA_DB_URI="sqlite:///$work/superset.db"
export SUPERSET_SECRET_KEY="import-check-only-$(date +%s%N)"
export SUPERSET_ADMIN_USER=admin SUPERSET_ADMIN_PASSWORD="check-$(date +%s%N)" SUPERSET_ADMIN_EMAIL=admin@example.com

echo "== docker/superset/init.sh with Superset $version, metadata in $work/superset.db"
bash docker/superset/init.sh > "$work/init.log" 2>&1 || { tail -40 "$work/init.log" >&2; echo "init.sh failed" >&2; exit 1; }
grep '^== \|^bundle:' "$work/init.log"

echo "== what Superset holds now, and every chart's query against $POSTGRES_HOST:$POSTGRES_PORT/$ORDERS_DB"
python - <<'PY'
"""Reads back what the import stored and runs each chart's query the way Superset builds it."""
import json
import sys

from superset.app import create_app

app = create_app()
with app.app_context():
    from superset.connectors.sqla.models import SqlaTable
    from superset.extensions import db
    from superset.models.dashboard import Dashboard
    from superset.models.slice import Slice

    dashboards = db.session.query(Dashboard).all()
    charts = db.session.query(Slice).all()
    datasets = db.session.query(SqlaTable).all()
    print(f"dashboards: {[d.dashboard_title for d in dashboards]}; charts: {len(charts)}; datasets: {len(datasets)}")
    if len(dashboards) != 1:
        sys.exit("expected exactly one dashboard")
    dashboard = dashboards[0]
    position = json.loads(dashboard.position_json)
    tabs = [node["meta"]["text"] for node in position.values() if isinstance(node, dict) and node.get("type") == "TAB"]
    print(f"tabs: {tabs}")
    on_dashboard = {c.id for c in dashboard.slices}
    if on_dashboard != {c.id for c in charts}:
        sys.exit("some imported charts are not on the dashboard")

    def columns_of(params):
        """The columns a chart selects: its x axis (with the time grain), groupby, raw columns, map entity."""
        cols = []
        x_axis = params.get("x_axis")
        if x_axis:
            grain = params.get("time_grain_sqla")
            cols.append({"label": x_axis, "sqlExpression": x_axis, "expressionType": "SQL",
                         "columnType": "BASE_AXIS", **({"timeGrain": grain} if grain else {})})
        for key in ("groupby", "all_columns", "columns"):
            value = params.get(key) or []
            # heatmap_v2 keeps its one y-axis column as a plain string
            cols += [c for c in ([value] if isinstance(value, str) else value) if c not in cols]
        if params.get("entity"):
            cols.append(params["entity"])
        return cols

    def metrics_of(params):
        metrics = list(params.get("metrics") or [])
        for key in ("metric", "secondary_metric"):
            if params.get(key):
                metrics.append(params[key])
        return metrics

    failures = 0
    for chart in sorted(charts, key=lambda c: c.slice_name):
        params = json.loads(chart.params)
        query = {
            "columns": columns_of(params), "metrics": metrics_of(params), "groupby": None,
            "is_timeseries": False, "granularity": None, "from_dttm": None, "to_dttm": None,
            "filter": [], "extras": {}, "orderby": [], "row_limit": 1000,
        }
        result = chart.datasource.query(query)
        ok = result.status == "success"
        failures += not ok
        detail = f"{len(result.df)} rows" if ok else (result.error_message or str(result.errors))
        print(f"  {'ok  ' if ok else 'FAIL'} {chart.viz_type:26} {chart.slice_name}: {detail}")
    if failures:
        sys.exit(f"{failures} chart queries failed")
    print(f"all {len(charts)} chart queries ran")
PY
