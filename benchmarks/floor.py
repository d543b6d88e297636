"""The floor: the least a program must do to turn one diagram_9 response into RECORD lines.

Fetch with requests, decode, and write one Singer RECORD line per row with the same
fields, the same converted ``date`` and the same ``record_key`` as tap-wolkvox. No SDK,
no state, no checks: the cost of the job itself.

Usage: python benchmarks/floor.py URL TOKEN DATE_INI DATE_END TIMEZONE
"""

import datetime as dt
import hashlib
import json
import sys
import zoneinfo

import requests

from tap_wolkvox.records import DOCUMENTED_FIELDS  # the documented field names only

FIELDS = DOCUMENTED_FIELDS


def main() -> None:
    url, token, first, last, zone = sys.argv[1:6]
    tz = zoneinfo.ZoneInfo(zone)
    response = requests.get(
        f"{url}/api/v2/reports_manager.php",
        params={"api": "diagram_9", "date_ini": first, "date_end": last},
        headers={"wolkvox-token": token},
        timeout=90,
    )
    rows = response.json()["data"]
    out = sys.stdout
    seen: dict[str, int] = {}
    for row in rows:
        identity = json.dumps(
            [row.get(f) for f in FIELDS], ensure_ascii=False, separators=(",", ":")
        )
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        digest = hashlib.blake2b(identity.encode(), digest_size=16)
        if occurrence:
            digest.update(f"#{occurrence}".encode())
        local = dt.datetime.strptime(row["date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        record = {"record_key": digest.hexdigest()}
        record.update({f: row.get(f) for f in FIELDS})
        record["date"] = local.astimezone(dt.UTC).isoformat()
        extras = {k: v for k, v in row.items() if k not in FIELDS}
        record["additional_fields"] = extras or None
        out.write(
            json.dumps({"type": "RECORD", "stream": "chatbot_interactions", "record": record})
            + "\n"
        )


if __name__ == "__main__":
    main()
