"""Superset settings of the compose stack, all from the environment (docker-compose.yml).

SUPERSET_SECRET_KEY signs sessions and encrypts stored database passwords; it must be set.
The metadata database is `superset` on the compose Postgres, unless SUPERSET_METADATA_DB_URI
names another one (the local import check uses SQLite).
"""
import os
from urllib.parse import quote


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"{name} is not set: add it to .env (see .env.example)")
    return value


def postgres_uri(database: str, user_variable: str = "POSTGRES_USER", password_variable: str = "POSTGRES_PASSWORD") -> str:
    """SQLAlchemy URI of a database on the compose Postgres, as the user the two variables name.

    The password is URL-quoted, so any character works.
    """
    user = quote(os.environ.get(user_variable) or "postgres", safe="")
    password = quote(_required(password_variable), safe="")
    host = os.environ.get("POSTGRES_HOST", "postgres")
    port = os.environ.get("POSTGRES_PORT", "5432")
    return f"postgresql+psycopg2://{user}:{password}@{host}:{port}/{database}"


SECRET_KEY = _required("SUPERSET_SECRET_KEY")
SQLALCHEMY_DATABASE_URI = os.environ.get("SUPERSET_METADATA_DB_URI") or postgres_uri(
    os.environ.get("SUPERSET_METADATA_DB", "superset")
)
