"""Zips the dashboard bundle for `superset import-dashboards`, with the database URI filled in.

The bundle in the repository (docker/superset/dashboard) is readable YAML in Superset's
import/export v1 layout and holds no secret: its database file has a placeholder URI. This writes
a zip with the single root folder Superset expects and, in each databases/*.yaml, replaces
sqlalchemy_uri with the URI of the compose Postgres built from the environment by
superset_config.postgres_uri: database ORDERS_DB as ORDERS_DB_USER / ORDERS_DB_PASSWORD (the
read-only superset_reader in the compose stack), or as POSTGRES_USER / POSTGRES_PASSWORD when
those two are unset.

usage: python import_bundle.py BUNDLE_DIR OUT_ZIP
"""
import os
import sys
import zipfile
from pathlib import Path

import yaml

from superset_config import postgres_uri

ZIP_ROOT = "order_pipeline_dashboard"


def bundle_files(root: Path) -> list[Path]:
    if not (root / "metadata.yaml").is_file():
        raise SystemExit(f"{root} has no metadata.yaml: not a Superset bundle")
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def with_database_uri(text: str, uri: str) -> str:
    doc = yaml.safe_load(text)
    if "sqlalchemy_uri" not in doc:
        raise SystemExit("a databases/*.yaml file has no sqlalchemy_uri")
    doc["sqlalchemy_uri"] = uri
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def write_zip(root: Path, out: Path, uri: str) -> int:
    files = bundle_files(root)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            relative = path.relative_to(root)
            text = path.read_text(encoding="utf-8")
            if relative.parts[0] == "databases":
                text = with_database_uri(text, uri)
            archive.writestr(f"{ZIP_ROOT}/{relative.as_posix()}", text)
    return len(files)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    database = os.environ.get("ORDERS_DB", "orders")
    if os.environ.get("ORDERS_DB_USER"):
        uri = postgres_uri(database, "ORDERS_DB_USER", "ORDERS_DB_PASSWORD")
    else:
        uri = postgres_uri(database)
    count = write_zip(Path(argv[1]), Path(argv[2]), uri)
    print(f"bundle: {count} files from {argv[1]} -> {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
