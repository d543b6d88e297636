"""The Meltano SDK's standard tap tests, run against the fake API."""

from __future__ import annotations

import datetime as dt

from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_wolkvox.reports import PARAMETER_EVENT_REPORTS, REPORTS, SUMMARY_REPORTS
from tap_wolkvox.tap import TapWolkvox
from tests.fake_summaries import generate_summary_events
from tests.fake_wolkvox import CHATBOT, FakeWolkvox, generate_report_rows, generate_rows

# The suite builds its test class at import time, so the fake starts here and lives for
# the whole session (a daemon thread).
FAKE = FakeWolkvox()
ROWS = generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 8), per_day=200)
for number, row in enumerate(ROWS):
    row["date_close"] = row["date"]  # an undocumented field, as real responses carry
    row["turn"] = str(number)
FAKE.set_rows(ROWS)
# The suite syncs every stream it discovers: each report gets a week of rows.
for report in REPORTS:
    if report.api != CHATBOT:
        FAKE.set_report_rows(
            report.api,
            generate_report_rows(
                report, dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 8), per_day=20
            ),
        )
for report in PARAMETER_EVENT_REPORTS:
    for value in report.partition.values if report.partition else ():
        FAKE.set_report_rows(
            report.api,
            generate_report_rows(
                report, dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 8), per_day=10
            ),
            partition=value,
        )
    if report.partition and not report.partition.values:  # campaign_5: campaign ids
        FAKE.set_report_rows(
            report.api,
            generate_report_rows(
                report, dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 8), per_day=10
            ),
            partition="101",
        )
for report in SUMMARY_REPORTS:
    FAKE.set_summary_events(
        report.api, generate_summary_events(report, dt.date(2026, 1, 1), 7, per_day=10)
    )
FAKE.start()

CONFIG = {
    "server": "0032",
    "token": FAKE.token,
    "api_url": FAKE.base_url,
    "start_date": "2026-01-01T00:00:00",
    "end_date": "2026-01-08T00:00:00",
    "campaign_ids": ["101"],  # preview_campaign_calls reads explicit campaigns only
}
# Every stream selected, as a user would select them: only chatbot_interactions is
# selected by default, and the suite checks records against the selected columns.
CATALOG = TapWolkvox(config=CONFIG).catalog_dict
for entry in CATALOG["streams"]:
    for metadata in entry["metadata"]:
        if metadata["breadcrumb"] == []:
            metadata["metadata"]["selected"] = True

TestTapWolkvox = get_tap_test_class(
    tap_class=TapWolkvox,
    config=CONFIG,
    catalog=CATALOG,
    suite_config=SuiteConfig(max_records_limit=50),
)
