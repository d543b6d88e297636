"""The Meltano SDK's standard tap tests, run against the fake API."""

from __future__ import annotations

import datetime as dt

from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_wolkvox.tap import TapWolkvox
from tests.fake_wolkvox import FakeWolkvox, generate_rows

# The suite builds its test class at import time, so the fake starts here and lives for
# the whole session (a daemon thread).
FAKE = FakeWolkvox()
ROWS = generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 8), per_day=200)
for number, row in enumerate(ROWS):
    row["date_close"] = row["date"]  # an undocumented field, as real responses carry
    row["turn"] = str(number)
FAKE.set_rows(ROWS)
FAKE.start()

TestTapWolkvox = get_tap_test_class(
    tap_class=TapWolkvox,
    config={
        "server": "0032",
        "token": FAKE.token,
        "api_url": FAKE.base_url,
        "start_date": "2026-01-01T00:00:00",
        "end_date": "2026-01-08T00:00:00",
    },
    suite_config=SuiteConfig(max_records_limit=50),
)
