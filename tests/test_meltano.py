"""End to end: the real ``meltano run tap-wolkvox target-postgres`` into a real PostgreSQL.

Needs what ``scripts/setup.sh`` provides: ``meltano install`` done in this project and a
PostgreSQL server reachable with the ``PG*`` settings below. Nothing here is skipped:
without them these tests fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import uuid
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tap_wolkvox.dates import LocalDates
from tests.conftest import ROOT
from tests.fake_wolkvox import FakeWolkvox, Fault, generate_burst, generate_rows

pytestmark = pytest.mark.e2e

MELTANO = str(Path(sys.executable).with_name("meltano"))
PG = {
    "host": os.environ.get("PGHOST", "localhost"),
    "port": int(os.environ.get("PGPORT", "5432")),
    "user": os.environ.get("PGUSER", "tap_wolkvox"),
    "password": os.environ.get("PGPASSWORD", "tap_wolkvox"),
    "dbname": os.environ.get("PGDATABASE", "tap_wolkvox"),
}
BOGOTA = zoneinfo.ZoneInfo("America/Bogota")


class Pipeline:
    """One isolated pipeline: its own Meltano system DB (state) and its own schema."""

    def __init__(self, fake: FakeWolkvox, tmp_path: Path) -> None:
        self.fake = fake
        self.schema = f"e2e_{uuid.uuid4().hex[:10]}"
        self.marker = uuid.uuid4().hex
        self.env = {
            **os.environ,
            "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
            "MELTANO_ENVIRONMENT": "dev",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "TAP_WOLKVOX_SERVER": "0032",
            "TAP_WOLKVOX_TOKEN": fake.token,
            "TAP_WOLKVOX_API_URL": fake.base_url,
            "TAP_WOLKVOX_START_DATE": "2026-01-01T00:00:00",
            "TAP_WOLKVOX_END_DATE": "2026-03-01T00:00:00",
            "TAP_WOLKVOX_RETRY_WAIT_SECONDS": "0",
            "TAP_WOLKVOX_LOOKBACK_MINUTES": "60",
            "TARGET_POSTGRES_HOST": PG["host"],
            "TARGET_POSTGRES_PORT": str(PG["port"]),
            "TARGET_POSTGRES_USER": PG["user"],
            "TARGET_POSTGRES_PASSWORD": PG["password"],
            "TARGET_POSTGRES_DATABASE": PG["dbname"],
            "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": self.schema,
            "E2E_RUN_MARKER": self.marker,
        }

    def run(
        self, *flags: str, loader: str = "target-postgres", **settings: str
    ) -> subprocess.CompletedProcess[str]:
        env = {**self.env, **{f"TAP_WOLKVOX_{k.upper()}": v for k, v in settings.items()}}
        return subprocess.run(
            [MELTANO, "run", *flags, "tap-wolkvox", loader],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(**PG) as connection:
            return connection.execute(
                sql.format(table=f"{self.schema}.chatbot_interactions")
            ).fetchall()

    def state(self) -> dict:
        result = subprocess.run(
            [MELTANO, "state", "get", "dev:tap-wolkvox-to-target-postgres"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout)

    def kill_tap(self) -> bool:
        """SIGKILL this pipeline's tap process (found by its environment marker)."""
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                cmdline = (proc / "cmdline").read_bytes()
                environ = (proc / "environ").read_bytes()
            except OSError:
                continue
            if b"tap-wolkvox" in cmdline and self.marker.encode() in environ:
                os.kill(int(proc.name), signal.SIGKILL)
                return True
        return False

    def drop(self) -> None:
        with psycopg.connect(**PG, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


@pytest.fixture
def pipeline(fake: FakeWolkvox, tmp_path: Path) -> Iterator[Pipeline]:
    line = Pipeline(fake, tmp_path)
    yield line
    line.drop()


def loaded(pipeline: Pipeline) -> list[tuple]:
    return pipeline.query(
        "SELECT record_key, date, session_id, customer_query FROM {table} ORDER BY record_key"
    )


def expected(
    fake: FakeWolkvox, first: str = "2026-01-01 00:00:00", last: str = "2026-02-28 23:59:59"
) -> list[tuple]:
    dates = LocalDates(BOGOTA)
    return sorted(
        (
            dt.datetime.fromisoformat(dates.to_rfc3339(r["date"])).replace(tzinfo=None),
            r["session_id"],
            r["customer_query"],
        )
        for r in fake.rows_between(first, last)
    )


def contents(rows: list[tuple]) -> list[tuple]:
    return sorted((date, session, query) for _, date, session, query in rows)


def assert_complete(pipeline: Pipeline) -> None:
    rows = loaded(pipeline)
    assert len({key for key, *_ in rows}) == len(rows)  # no duplicates
    assert contents(rows) == expected(pipeline.fake)  # every row, at the right instant (UTC)


def test_every_row_once_then_nothing_new_costs_one_call(fake, pipeline) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=60))
    fake.add_rows(generate_burst(dt.datetime(2026, 2, 3, 9), dt.timedelta(hours=1), 7000))
    first = pipeline.run()
    assert first.returncode == 0, first.stderr[-3000:]
    assert_complete(pipeline)
    state = pipeline.state()
    bookmark = state["singer_state"]["bookmarks"]["chatbot_interactions"]
    assert bookmark["replication_key_value"] == "2026-03-01T05:00:00+00:00"
    count = len(loaded(pipeline))

    fake.calls.clear()
    second = pipeline.run()
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(loaded(pipeline)) == count
    assert len(fake.calls) <= 2


def test_new_and_late_rows_arrive_without_duplicates(fake, pipeline) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1), per_day=80))
    assert pipeline.run(end_date="2026-02-01T00:00:00").returncode == 0
    # New rows after the bookmark, and late rows dated 30 minutes before it.
    fake.add_rows(
        generate_rows(dt.datetime(2026, 2, 1), dt.datetime(2026, 3, 1), per_day=80, seed=9)
    )
    fake.add_rows(
        generate_burst(dt.datetime(2026, 1, 31, 23, 30), dt.timedelta(minutes=20), 40, seed=10)
    )
    result = pipeline.run()
    assert result.returncode == 0, result.stderr[-3000:]
    assert_complete(pipeline)


def test_a_tap_killed_mid_run_then_rerun_ends_complete(fake, pipeline) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=400))
    killed: list[bool] = []

    def kill_on_fourth_call(call) -> Fault | None:
        if len(fake.calls) == 4 and not killed:
            killed.append(pipeline.kill_tap())
        return None

    fake.rule = kill_on_fourth_call
    first = pipeline.run(max_window_days="7")
    assert killed == [True]
    assert first.returncode != 0
    fake.rule = None
    # Meltano still counts the killed job as running until its heartbeat goes stale
    # (5 minutes); --force is what an operator (or the next schedule) uses after a crash.
    second = pipeline.run("--force", max_window_days="7")
    assert second.returncode == 0, second.stderr[-3000:]
    assert_complete(pipeline)


def test_a_quota_stop_then_a_rerun_ends_complete(fake, pipeline) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=400))
    fake.quota = 3
    stopped = pipeline.run(max_window_days="7")
    assert stopped.returncode != 0
    assert "TOKEN LIMIT EXCEEDED" in stopped.stderr
    partial = len(loaded(pipeline))
    assert partial > 0  # what was read before the stop is kept
    fake.quota = None
    fake.calls.clear()
    resumed = pipeline.run(max_window_days="7")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_complete(pipeline)
    # The rerun did not start over from start_date.
    assert fake.calls[0].date_ini > "20260101000000"


def test_a_stream_map_hashes_personal_data_before_the_warehouse(fake, pipeline) -> None:
    fake.set_rows(
        [
            {
                "session_id": "s",
                "date": "2026-01-05 10:00:00",
                "channel": "email",
                "customer_name": "Ana García",
                "customer_email": "ana@example.com",
                "customer_phone": "",
                "customer_query": "hola",
            }
        ]
    )
    maps = {
        "chatbot_interactions": {
            field: f"'' if not {field} else sha256(config['hash_salt'] + {field})"
            for field in ("customer_email", "customer_phone", "customer_name")
        }
    }
    result = pipeline.run(
        stream_maps=json.dumps(maps), stream_map_config=json.dumps({"hash_salt": "pepper"})
    )
    assert result.returncode == 0, result.stderr[-3000:]
    ((name, email, phone),) = pipeline.query(
        "SELECT customer_name, customer_email, customer_phone FROM {table}"
    )
    import hashlib  # noqa: PLC0415

    assert email == hashlib.sha256(b"pepperana@example.com").hexdigest()
    assert name == hashlib.sha256("pepperAna García".encode()).hexdigest()
    assert phone == ""
    assert "ana@example.com" not in result.stderr


def test_the_default_loader_keeps_every_row(fake, pipeline, tmp_path) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=300))
    pipeline.env["TARGET_JSONL_DESTINATION_PATH"] = str(tmp_path / "out")
    result = pipeline.run(loader="target-jsonl")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (tmp_path / "out" / "chatbot_interactions.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len({r["record_key"] for r in records}) == len(fake.rows)
