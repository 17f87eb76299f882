"""Which database servers a test run can reach, and why not when it cannot.

URLs come from ``NETSERVICE_TEST_POSTGRESQL_URL`` and
``NETSERVICE_TEST_MYSQL_URL``, defaulting to the CI services (PostgreSQL
trust auth and MariaDB root, database ``test``, on 127.0.0.1).  Under CI
(``CI=true``) an unreachable server is an error, not a skip.
"""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa

DEFAULT_URLS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def server_url(backend: str) -> str:
    return os.environ.get(f"NETSERVICE_TEST_{backend.upper()}_URL", DEFAULT_URLS[backend])


def unreachable_reason(url: str) -> str | None:
    """None when a connection works, else a one-line reason."""
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return f"{url.rsplit('@', maxsplit=1)[-1]} unreachable: {first}"
    return None


def fresh_schema(url: str) -> tuple[str, str]:
    """Create an empty database/schema on the server; returns (url, name) to drop later.

    Tests get their own schema so runs never see each other's rows.
    """
    name = f"nstest_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return str(sa.engine.make_url(url).set(database=name)), name


def drop_schema(url: str, name: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        else:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
    engine.dispose()
