"""The floor: the least a program must do to turn one report's response into RECORD lines.

Fetch with requests, decode, and write one Singer RECORD line per row with the same
fields, the same converted ``date`` and the same ``record_key`` as tap-wolkvox. No SDK,
no state, no checks: the cost of the job itself.

Usage: python benchmarks/floor.py URL TOKEN DATE_INI DATE_END TIMEZONE [REPORT]

REPORT defaults to diagram_9. It must be a report shaped like diagram_9: one time field,
``date``, a key from every documented field, no known extra fields, no extra parameters
(cdr_1 is one).
"""

import datetime as dt
import hashlib
import json
import sys
import zoneinfo

import requests

from tap_wolkvox.reports import by_api


def main() -> None:
    url, token, first, last, zone = sys.argv[1:6]
    report = by_api(sys.argv[6] if len(sys.argv) > 6 else "diagram_9")
    if (
        report.time_fields != ("date",)
        or report.key_fields
        or report.known_extra_fields
        or report.params
    ):
        raise SystemExit(f"floor.py does not handle {report.api}: it is not shaped like diagram_9")
    fields = report.fields  # the documented field names only
    tz = zoneinfo.ZoneInfo(zone)
    response = requests.get(
        f"{url}/api/v2/reports_manager.php",
        params={"api": report.api, "date_ini": first, "date_end": last},
        headers={"wolkvox-token": token},
        timeout=90,
    )
    rows = response.json()["data"]
    out = sys.stdout
    seen: dict[str, int] = {}
    for row in rows:
        identity = json.dumps(
            [row.get(f) for f in fields], ensure_ascii=False, separators=(",", ":")
        )
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        digest = hashlib.blake2b(identity.encode(), digest_size=16)
        if occurrence:
            digest.update(f"#{occurrence}".encode())
        local = dt.datetime.strptime(row["date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        record = {"record_key": digest.hexdigest()}
        record.update({f: row.get(f) for f in fields})
        record["date"] = local.astimezone(dt.UTC).isoformat()
        extras = {k: v for k, v in row.items() if k not in fields}
        record["additional_fields"] = extras or None
        out.write(json.dumps({"type": "RECORD", "stream": report.stream, "record": record}) + "\n")


if __name__ == "__main__":
    main()
