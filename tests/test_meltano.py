"""End to end: the real ``meltano run tap-wolkvox target-postgres`` into a real PostgreSQL.

Needs what ``scripts/setup.sh`` provides: ``meltano install`` done in this project and a
PostgreSQL server reachable with the ``PG*`` settings below. Nothing here is skipped:
without them these tests fail.

Most tests run Meltano in this project, with its ``meltano.yml`` as shipped. The
two-cadence test runs the README's recipe in a copy of the project in a temporary folder
whose ``.meltano`` links to this project's installed plugins.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from pathlib import Path

import psycopg
import pytest
from ruamel.yaml import YAML

from tap_wolkvox.dates import LocalDates
from tap_wolkvox.reports import REPORTS, Report, by_stream
from tests.conftest import ROOT
from tests.fake_summaries import generate_summary_events, late_summary_events, summary_answer
from tests.fake_wolkvox import (
    INFO_PATH,
    PATH,
    FakeWolkvox,
    Fault,
    generate_burst,
    generate_report_burst,
    generate_report_rows,
    generate_rows,
)
from tests.test_quota import stop_line

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
STATE_ID = "dev:tap-wolkvox-to-target-postgres"


class Pipeline:
    """One isolated pipeline: its own Meltano system DB (state) and its own schema."""

    def __init__(self, fake: FakeWolkvox, tmp_path: Path) -> None:
        self.fake = fake
        self.project = ROOT  # the Meltano project the commands run in
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

    def meltano(
        self, *args: str, env: dict[str, str] | None = None, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MELTANO, *args],
            cwd=self.project,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=check,
        )

    def run(
        self, *flags: str, loader: str = "target-postgres", **settings: str
    ) -> subprocess.CompletedProcess[str]:
        env = {f"TAP_WOLKVOX_{k.upper()}": v for k, v in settings.items()}
        return self.meltano("run", *flags, "tap-wolkvox", loader, env=env)

    def query(self, sql: str, stream: str = "chatbot_interactions", **columns: str) -> list[tuple]:
        """Rows of ``sql``, its ``{table}`` being ``stream``'s and ``{name}`` a column."""
        names = {name: f'"{column}"' for name, column in columns.items()}
        with psycopg.connect(**PG) as connection:
            return connection.execute(
                sql.format(table=f"{self.schema}.{stream}", **names)
            ).fetchall()

    def tables(self) -> set[str]:
        with psycopg.connect(**PG) as connection:
            rows = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (self.schema,),
            ).fetchall()
        return {name for (name,) in rows}

    def state(self, state_id: str = STATE_ID) -> dict:
        return json.loads(self.meltano("state", "get", state_id, check=True).stdout)

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


# How Meltano relays a line the tap logged (structured logging): time, level, logger, message.
RELAYED = re.compile(r"\S+ \[(?P<level>\w+)\s*\] (?P<logger>tap-wolkvox\S*)\s+(?P<message>.*)")


def tap_problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The messages of the tap's own warnings and errors, as Meltano relays them."""
    found = []
    for line in result.stderr.splitlines():
        relayed = RELAYED.fullmatch(line)
        if relayed and relayed["level"] in {"warning", "error", "critical"}:
            found.append(relayed["message"])
    return found


def test_the_quota_reserve_ends_a_run_cleanly_and_its_reading_survives_meltano(
    fake: FakeWolkvox, pipeline: Pipeline
) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=400))
    fake.daily_limit, fake.used_by_others = 100, 80
    settings = {"max_window_days": "7", "quota_reserve": "10", "lookback_minutes": "0"}
    stopped = pipeline.run(**settings)
    # token_info (81 used and its own call: 18 left), 8 calls, then the stop: a plan, exit 0.
    assert stopped.returncode == 0, stopped.stderr[-3000:]
    assert [call.path for call in fake.calls] == [INFO_PATH] + [PATH] * 8
    assert tap_problems(stopped) == [stop_line(10, 100, 10)]
    assert "Traceback" not in stopped.stderr
    partial = loaded(pipeline)
    assert 0 < len(partial) < len(expected(fake))
    state = pipeline.state()["singer_state"]["bookmarks"]["chatbot_interactions"]
    assert state["replication_key_value"] < "2026-03-01T05:00:00+00:00"
    reading = state["quota_reading"]
    assert (reading["limit"], reading["used"], reading["calls_since"]) == (100, 81, 9)

    # The same day: Meltano handed the reading back, so not even token_info is called.
    fake.calls.clear()
    again = pipeline.run(**settings)
    assert again.returncode == 0, again.stderr[-3000:]
    assert fake.calls == []
    assert tap_problems(again) == [stop_line(10, 100, 10)]
    assert len(loaded(pipeline)) == len(partial)

    # The next day (the reading is yesterday's, Wolkvox counts from 0): the rest, once.
    fake.used_by_others = fake.used_by_token = 0
    saved = pipeline.state()
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    saved["singer_state"]["bookmarks"]["chatbot_interactions"]["quota_reading"]["read_at"] = (
        yesterday.isoformat(timespec="seconds")
    )
    pipeline.meltano("state", "set", "--force", STATE_ID, json.dumps(saved), check=True)
    fake.calls.clear()
    resumed = pipeline.run(**settings)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert fake.calls[0].path == INFO_PATH
    assert len(fake.info_calls()) == 1
    assert tap_problems(resumed) == []
    assert_complete(pipeline)
    final = pipeline.state()["singer_state"]["bookmarks"]["chatbot_interactions"]
    assert final["replication_key_value"] == "2026-03-01T05:00:00+00:00"
    assert final["quota_reading"]["used"] == 1


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


# -- several streams ------------------------------------------------------------------

# The runs read [start_date, end_date) = the local days below; rows outside it are served
# too, and must not arrive.
FIRST, LAST = "2026-01-01 00:00:00", "2026-02-28 23:59:59"
END_BOOKMARK = "2026-03-01T05:00:00+00:00"  # end_date, 2026-03-01 00:00 in Bogota
FOUR = ("chatbot_interactions", "chats", "calls", "agent_events")


def serve(fake: FakeWolkvox, streams: Iterable[str], *, per_day: float) -> None:
    """Rows for each stream's report, from before start_date to after end_date.

    Each also gets 20 rows in the last 40 minutes before end_date, so the rerun's
    lookback reads rows it has already delivered.
    """
    for stream in streams:
        report = by_stream(stream)
        rows = generate_report_rows(
            report, dt.datetime(2025, 12, 20), dt.datetime(2026, 3, 6), per_day=per_day
        )
        rows += generate_report_burst(
            report, dt.datetime(2026, 2, 28, 23, 20), dt.timedelta(minutes=40), 20
        )
        fake.set_report_rows(report.api, rows)


def apis(streams: Iterable[str]) -> set[str]:
    return {by_stream(stream).api for stream in streams}


def count(pipeline: Pipeline, stream: str) -> int:
    ((rows,),) = pipeline.query("SELECT count(*) FROM {table}", stream)
    return rows


def assert_stream_complete(pipeline: Pipeline, stream: str) -> None:
    """Every row of the range once, each at its instant: the filter field's, in UTC."""
    report = by_stream(stream)
    rows = pipeline.query(
        "SELECT record_key, {instant} FROM {table}", stream, instant=report.filter_field
    )
    keys = [key for key, _ in rows]
    assert len(set(keys)) == len(keys), f"{stream}: {len(keys) - len(set(keys))} duplicates"
    assert sorted(instant for _, instant in rows) == instants(pipeline.fake, report), stream


def instants(fake: FakeWolkvox, report: Report) -> list[dt.datetime]:
    dates = LocalDates(BOGOTA)
    values = (row[report.filter_field] for row in fake.report_rows_between(report.api, FIRST, LAST))
    return sorted(
        dt.datetime.fromisoformat(dates.to_rfc3339(value)).replace(tzinfo=None) for value in values
    )


def bookmarks(state: dict) -> dict[str, tuple[str, str]]:
    """Each stream's bookmark in a state from `meltano state get` (``{}`` if none)."""
    return {
        stream: (bookmark.get("replication_key"), bookmark.get("replication_key_value"))
        for stream, bookmark in state.get("singer_state", {}).get("bookmarks", {}).items()
    }


def ends_at(streams: Iterable[str], value: str) -> dict[str, tuple[str, str]]:
    """Each stream's own bookmark: its report's filter field, at ``value``."""
    return {stream: (by_stream(stream).filter_field, value) for stream in streams}


def test_four_streams_one_table_each_every_row_once_each_its_own_bookmark(fake, pipeline) -> None:
    serve(fake, FOUR, per_day=60)
    # About 1,800 rows a month, and a campaign no forecast can see coming: 2,000 rows in
    # two hours. With this cap every stream splits the window that meets it.
    for number, stream in enumerate(FOUR):
        api = by_stream(stream).api
        burst = dt.datetime(2026, 2, 10 + number, 9)
        fake.add_report_rows(
            api, generate_report_burst(api, burst, dt.timedelta(hours=2), 2000, seed=number)
        )
    fake.cap = 1500
    # Meltano's `<PLUGIN>__SELECT` extra replaces meltano.yml's `select:` for this run.
    pipeline.env["TAP_WOLKVOX__SELECT"] = json.dumps([f"{stream}.*" for stream in FOUR])
    first = pipeline.run(max_records_per_request="1500")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Selected streams (4): " in first.stderr
    assert {call.api for call in fake.calls} == apis(FOUR)
    assert {call.api for call in fake.calls if call.rows >= 1500} == apis(FOUR)  # splits
    assert pipeline.tables() == set(FOUR)
    for stream in FOUR:
        assert_stream_complete(pipeline, stream)
    # chat_1 sends "agent_anwers " (trailing space): README says the column is agent_anwers.
    sent = fake.report_rows_between("chat_1", FIRST, LAST)
    assert pipeline.query("SELECT count(agent_anwers) FROM {table}", "chats") == [
        (sum(row.get("agent_anwers ") is not None for row in sent),)
    ]
    counts = {stream: count(pipeline, stream) for stream in FOUR}
    assert bookmarks(pipeline.state()) == ends_at(FOUR, END_BOOKMARK)

    fake.calls.clear()
    second = pipeline.run(max_records_per_request="1500")
    assert second.returncode == 0, second.stderr[-3000:]
    # Each stream read its last hour again (the lookback), one call, and found rows there.
    assert sorted(call.api for call in fake.calls) == sorted(apis(FOUR))
    assert all(call.rows > 0 for call in fake.calls)
    assert {stream: count(pipeline, stream) for stream in FOUR} == counts
    for stream in FOUR:
        assert_stream_complete(pipeline, stream)
    assert bookmarks(pipeline.state()) == ends_at(FOUR, END_BOOKMARK)


def test_the_projects_selection_reads_only_chatbot_interactions(fake, pipeline) -> None:
    for report in REPORTS:  # every report has rows to offer
        rows = generate_report_rows(
            report, dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), per_day=3
        )
        fake.set_report_rows(report.api, rows)
    result = pipeline.run()  # meltano.yml as shipped: `select: [chatbot_interactions.*]`
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Selected streams (1): chatbot_interactions;" in result.stderr
    assert fake.calls
    assert {call.api for call in fake.calls} == {"diagram_9"}
    assert pipeline.tables() == {"chatbot_interactions"}
    assert_stream_complete(pipeline, "chatbot_interactions")
    assert bookmarks(pipeline.state()) == ends_at(["chatbot_interactions"], END_BOOKMARK)


# -- the README's two cadences --------------------------------------------------------

LIVE, HOURLY = "tap-wolkvox", "tap-wolkvox--hourly"
STATE_IDS = {
    LIVE: STATE_ID,  # dev:tap-wolkvox-to-target-postgres
    HOURLY: "dev:tap-wolkvox--hourly-to-target-postgres",
}


def readme_recipe() -> dict:
    """The YAML of README's "Two cadences" section, as a user would paste it."""
    section = (ROOT / "README.md").read_text().split("### Two cadences\n", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return YAML().load(block)


def two_cadence_project(tmp_path: Path, recipe: dict) -> Path:
    """A copy of this Meltano project with the recipe merged into its meltano.yml.

    The recipe's plugins update the shipped ones of the same name or are added; its other
    keys (jobs, schedules) are set. ``.meltano`` links to this project's installed
    plugins, so nothing is installed: a plugin that needed its own installation would
    be missing.
    """
    yaml = YAML()  # round trip: meltano.yml keeps its types and comments
    project = yaml.load((ROOT / "meltano.yml").read_text())
    for kind, plugins in recipe.get("plugins", {}).items():
        shipped = project["plugins"].setdefault(kind, [])
        for plugin in plugins:
            same = [known for known in shipped if known["name"] == plugin["name"]]
            if same:
                same[0].update(plugin)
            else:
                shipped.append(plugin)
    for key, value in recipe.items():
        if key != "plugins":
            project[key] = value
    root = tmp_path / "project"
    root.mkdir()
    with (root / "meltano.yml").open("w") as file:
        yaml.dump(project, file)
    for kind in ("extractors", "loaders"):
        (root / ".meltano" / kind).mkdir(parents=True)
        for installed in (ROOT / ".meltano" / kind).iterdir():
            (root / ".meltano" / kind / installed.name).symlink_to(installed)
    return root


def test_the_readme_two_cadences_each_extractor_keeps_its_own_state(
    fake, pipeline, tmp_path
) -> None:
    recipe = readme_recipe()
    selected = {
        plugin["name"]: [pattern.removesuffix(".*") for pattern in plugin["select"]]
        for plugin in recipe["plugins"]["extractors"]
    }
    jobs = {job["tasks"][0].split()[0]: job["name"] for job in recipe["jobs"]}
    assert set(selected) == set(jobs) == {LIVE, HOURLY}
    assert selected[LIVE] and selected[HOURLY]
    assert not set(selected[LIVE]) & set(selected[HOURLY])
    pipeline.project = two_cadence_project(tmp_path, recipe)
    serve(fake, [*selected[LIVE], *selected[HOURLY]], per_day=30)

    def run_job(extractor: str, end_date: str) -> dict[str, str]:
        """Run the extractor's job; where each of its reports started (local time)."""
        fake.calls.clear()
        # --no-install: never (re)install into the linked plugins of this checkout.
        result = pipeline.meltano(
            "run", "--no-install", jobs[extractor], env={"TAP_WOLKVOX_END_DATE": end_date}
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert {call.api for call in fake.calls} == apis(selected[extractor])
        return {call.api: call.date_ini for call in reversed(fake.calls)}

    run_job(LIVE, "2026-02-01T00:00:00")
    live = pipeline.state(STATE_IDS[LIVE])
    assert bookmarks(live) == ends_at(selected[LIVE], "2026-02-01T05:00:00+00:00")

    # From start_date: its own state is empty, whatever the live job's says.
    starts = run_job(HOURLY, "2026-03-01T00:00:00")
    assert starts == dict.fromkeys(apis(selected[HOURLY]), "20260101000000")
    hourly = pipeline.state(STATE_IDS[HOURLY])
    assert bookmarks(hourly) == ends_at(selected[HOURLY], END_BOOKMARK)
    assert pipeline.state(STATE_IDS[LIVE]) == live  # the hourly job left it alone

    # On from its own bookmarks, less the lookback; not from the hourly job's.
    starts = run_job(LIVE, "2026-03-01T00:00:00")
    assert starts == dict.fromkeys(apis(selected[LIVE]), "20260131230000")
    assert bookmarks(pipeline.state(STATE_IDS[LIVE])) == ends_at(selected[LIVE], END_BOOKMARK)
    assert pipeline.state(STATE_IDS[HOURLY]) == hourly  # the live job left it alone

    listed = pipeline.meltano("state", "list", check=True).stdout.split()
    assert sorted(listed) == sorted(STATE_IDS.values())
    assert pipeline.tables() == {*selected[LIVE], *selected[HOURLY]}
    for stream in pipeline.tables():
        assert_stream_complete(pipeline, stream)
    # The inherited extractor runs in its parent's installation: none of its own.
    assert sorted(p.name for p in (pipeline.project / ".meltano" / "extractors").iterdir()) == [
        LIVE
    ]


def test_agent_daily_states_hold_one_row_per_agent_and_day_with_the_latest_totals(
    fake, pipeline
) -> None:
    """Three days of agent_1 into PostgreSQL, then late events: totals replaced in place."""
    report = by_stream("agent_daily_states")
    # The three days before today: whole days, none settled with settle_days 3.
    first = dt.datetime.now(BOGOTA).date() - dt.timedelta(days=3)
    events = generate_summary_events(report, first, 3, per_day=30, entities=4, seed=8)
    fake.set_summary_events(report.api, events)
    pipeline.env["TAP_WOLKVOX__SELECT"] = json.dumps(["agent_daily_states.*"])
    # No day settles within three days, and every run reads the unsettled days again.
    settings = {
        "start_date": first.isoformat(),
        "end_date": "",
        "settle_days": "3",
        "snapshot_refresh_minutes": "0",
    }

    def table() -> dict[tuple[str, str], str]:
        rows = pipeline.query(
            "SELECT report_date, agent_id, calls FROM {table}", "agent_daily_states"
        )
        assert len(rows) == len({(day, agent) for day, agent, _ in rows}), rows
        return {(str(day), agent): calls for day, agent, calls in rows}

    def expected_calls() -> dict[tuple[str, str], str]:
        wanted = {}
        for offset in range(3):
            day = first + dt.timedelta(days=offset)
            answer = summary_answer(
                report,
                fake.summary_events(report.api),
                dt.datetime.combine(day, dt.time()),
                dt.datetime.combine(day, dt.time(23, 59, 59)),
                None,
            )
            for row in answer or []:
                wanted[(day.isoformat(), row["agent_id"])] = row["calls"]
        return wanted

    first_run = pipeline.run(**settings)
    assert first_run.returncode == 0, first_run.stderr[-3000:]
    assert len(fake.report_calls()) == 4  # one call a day, today's (no events) too
    before = table()
    assert before == expected_calls()
    assert {day for day, _ in before} == {
        (first + dt.timedelta(days=n)).isoformat() for n in range(3)
    }

    fake.add_summary_events(report.api, late_summary_events(report, events, first, count=12))
    second = pipeline.run(**settings)
    assert second.returncode == 0, second.stderr[-3000:]
    after = table()
    assert after.keys() == before.keys()  # one row per agent and day, still
    assert after == expected_calls()  # with the new totals
    assert {k for k in after if after[k] != before[k]} <= {
        k for k in after if k[0] == first.isoformat()
    }
    assert after != before
