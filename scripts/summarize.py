"""Print what a target-jsonl run landed: rows per channel, dates covered, duplicates."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1])
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    records = {}
    for line in lines:
        record = json.loads(line)
        records[record["record_key"]] = record  # lookback re-reads land twice in a jsonl file
    channels = Counter(record["channel"] for record in records.values())
    dates = sorted(record["date"] for record in records.values() if record["date"])
    print(f"{path}: {len(lines)} lines, {len(records)} distinct rows (by record_key)")
    if len(lines) > len(records):
        print(
            f"  target-jsonl appends: {len(lines) - len(records)} lines are rows read again by "
            "the lookback; a target that upserts on record_key (target-postgres) keeps "
            f"{len(records)}"
        )
    if dates:
        print(f"dates covered (UTC): {dates[0]} .. {dates[-1]}")
    for channel, count in channels.most_common():
        print(f"  {channel:<28}{count:>8}")


if __name__ == "__main__":
    main()
