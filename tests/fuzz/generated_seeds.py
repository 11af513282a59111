#!/usr/bin/env python3
"""Seeds that are made, not copied (corpora.sh runs this): usage generated_seeds.py SOURCE_DIR OUT_DIR.

- binance_klines_csv / binance_metrics_csv: the CSV inside each data.binance.vision zip fixture.
- clock (clock_fuzz.cpp): a line of clock fields, then times as 8-byte little-endian numbers that
  the target folds into the years 0000-9999: both DST changes of 2024 in New York and London, a
  weekend, both ends of the years, with the clocks readers default to and a manifest can declare.
- store (store_fuzz.cpp): history stores with the schema of adapters/history_store.cpp (its
  kMigrations: version 1, and 2 with known_at), at 512-byte pages so that a whole store fits in a
  few KiB; and the stores the reader must refuse: a value that is text or infinite, known_at going
  backwards, a schema version that is not a number or is newer, an audit store.
"""
import glob
import os
import sqlite3
import struct
import sys
import zipfile

FIRST, LAST = -62167219200, 253402300799  # 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z


def zip_members(source, out):
    for path in sorted(glob.glob(f"{source}/tests/data/providers/binance-vision/*.zip")):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > 65536:
                    continue
                target = "binance_metrics_csv" if "metrics" in info.filename else "binance_klines_csv"
                name = os.path.relpath(path, source).replace("/", "_")
                with open(f"{out}/{target}/{name}.{info.filename}", "wb") as seed:
                    seed.write(archive.read(info))


def clock_seeds(out):
    times = {
        "dst2024": [1710054000 + k * 1800 for k in range(8)] + [1730613600 + k * 1800 for k in range(8)],
        "london": [1711846800 + k * 3600 for k in range(4)] + [1729990800 + k * 3600 for k in range(4)],
        "weekend": [1709856000 + k * 21600 for k in range(14)],
        "edges": [FIRST, FIRST + 86400, LAST - 86400 * 40, LAST - 3600, LAST],
    }
    clocks = {
        "nyse": "America/New_York 16:00 - - s",
        "fred": "America/New_York 16:15 1bd - s",
        "csv": "- - - - s",
        "bars": "America/New_York 16:00 - 4h i",
        "crypto": "- - - 1h i",
        "lagged": "Europe/London 24:00 1bd 1d i",
        "tokyo": "Asia/Tokyo 15:00 30m 15m i",
        "kiritimati": "Pacific/Kiritimati 00:00 31d 31d s",
        "lord_howe": "Australia/Lord_Howe 02:30 23bd 45m i",
    }
    for clock, line in clocks.items():
        for name, values in times.items():
            with open(f"{out}/clock/{clock}.{name}", "wb") as seed:
                seed.write(line.encode() + b"\n" + b"".join(struct.pack("<Q", t - FIRST) for t in values))


DEFAULT_ROWS = [(1, 1704153600, 3.95, 1704313800), (1, 1704240000, 3.91, 1704400200), (1, 1704326400, 3.99, 1704486600),
                (2, 1704067200, 42280.5, 1704067200), (2, 1704070800, 42301.25, None)]


def store(out, name, version=2, kind="history", rows=None, schema_version=None):
    path = f"{out}/store/{name}.sqlite"
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size=512")
    db.executescript(
        "CREATE TABLE riskoff_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL,"
        " source TEXT NOT NULL, reader TEXT NOT NULL, imported_at TEXT NOT NULL);"
        "CREATE TABLE observations (series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
        " time INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, time)) WITHOUT ROWID;")
    if version >= 2:
        db.execute("ALTER TABLE observations ADD COLUMN known_at INTEGER")
    db.execute("INSERT INTO riskoff_store VALUES ('schema_version', ?)", (schema_version or str(version),))
    db.execute("INSERT INTO riskoff_store VALUES ('store', ?)", (kind,))
    db.execute("INSERT INTO series VALUES (1, 'us10y', 'percent', 'FRED:DGS10', 'fred_csv', '2026-01-02T03:04:05Z')")
    db.execute("INSERT INTO series VALUES (2, 'btc', 'usd', 'binance', 'binance_klines_json', '2026-01-02T03:04:05Z')")
    for series, time, value, known in rows or DEFAULT_ROWS:
        if version >= 2:
            db.execute("INSERT INTO observations VALUES (?, ?, ?, ?)", (series, time, value, known))
        else:
            db.execute("INSERT INTO observations VALUES (?, ?, ?)", (series, time, value))
    db.commit()
    db.execute("VACUUM")
    db.close()


def store_seeds(out):
    store(out, "v2")
    store(out, "v1", version=1)
    store(out, "text_value", rows=[(1, 1704153600, 3.95, 1704313800), (1, 1704240000, "4,1", 1704400200)])
    store(out, "infinite", rows=[(1, 1704153600, float("inf"), 1704313800)])
    store(out, "known_backwards", rows=[(1, 1704153600, 3.95, 1704486600), (1, 1704240000, 3.91, 1704313800)])
    store(out, "extreme_times", rows=[(1, -2**63, 1.0, None), (1, 2**63 - 1, 2.0, -2**63)])
    store(out, "version_text", schema_version="2x")
    store(out, "version_newer", schema_version="3")
    store(out, "audit", kind="audit")


if __name__ == "__main__":
    source, out = sys.argv[1], sys.argv[2]
    zip_members(source, out)
    clock_seeds(out)
    store_seeds(out)
