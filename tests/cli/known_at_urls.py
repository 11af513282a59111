#!/usr/bin/env python3
"""The URL manifest's clocks (issue "Data that is right in time", Done when): for every input of
examples/sources.json, no observation is in a snapshot before the moment it became known.

examples/sources.json reads provider URLs, so this test serves each input's answer from
127.0.0.1 in that provider's format (FRED and CBOE CSV, Yahoo chart JSON, Binance klines,
funding and open-interest JSON), built from the same files of ../shared/data that
examples/sources-local.json reads (tests/api/known_at_test.cpp checks that manifest). The
shipped manifest is used as written but for each `url` (pointed at the local server), plain
http allowed and a private cache folder. Then `riskoff snapshot build` runs at 20 seeded random
times of day; for each input, every observation in the snapshot must be known at or before the
as-of, and the first one the answer holds after the snapshot's last must be known after it.
Each build is served the answers of its own dates (its own URLs): from well before the 400 days
a snapshot keeps to a few days after its as-of, the same snapshot as from the whole history
since 2019 at a fifth of the JSON to read.
Known-at times are recomputed here from the documented rules (docs/sources.md "Clocks") with
Python's zoneinfo, not riskoff's tz library.

Usage: known_at_urls.py RISKOFF SOURCE_DIR [PART/PARTS]   (e.g. 2/4: the second quarter of the 20
as-ofs; none: all 20. Each part is one ctest, under the time limit in the sanitizer build.)
"""
import csv
import functools
import datetime as dt
import http.server
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from zoneinfo import ZoneInfo

riskoff, source_dir = sys.argv[1], sys.argv[2]
part, parts = (int(n) for n in sys.argv[3].split("/")) if len(sys.argv) > 3 else (0, 1)
if parts < 1 or not 0 <= part <= parts or 20 % parts:
    sys.exit(f"usage: {sys.argv[0]} RISKOFF SOURCE_DIR [PART/PARTS], PARTS dividing 20")
per_part = 20 // parts
data = os.path.normpath(os.path.join(source_dir, "..", "shared", "data"))
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.timezone.utc
FIRST = dt.date(2019, 6, 1)  # the answers start here: enough lookback for 2020-2025 as-ofs
# One build's answers: back past the 400 days a snapshot keeps of each input (before the as-of, or
# before the input's last observation when its data ends earlier), its clock's lag and the
# observation before that reach (docs/sources.md "Building"), and on past the as-of far enough
# that every answer holds observations not known by then.
BEFORE, AFTER = dt.timedelta(days=460), dt.timedelta(days=10)


@functools.lru_cache(maxsize=None)
def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def ms(moment):
    return int(moment.timestamp() * 1000)


def day(text, fmt="%Y-%m-%d"):
    return dt.datetime.strptime(text, fmt).date()


# --- each input's answer, in its provider's format, from the shared files ------------------
def fred(path, column, dates):
    lines = ["observation_date," + column]
    for row in rows(path):
        if day(row["date" if "date" in row else "observation_date"]) in dates:
            lines.append(row.get("date", row.get("observation_date")) + "," + (row[column] or "."))
    return ("text/csv", "\n".join(lines) + "\n")


def yahoo_chart(bars):
    # Yahoo stamps a daily bar at the session's open in UTC; gmtoffset is New York's at the time
    # of the request (EST), as in a real answer fetched in winter.
    stamps, closes = [], []
    for date, close in bars:
        opens = dt.datetime.combine(date, dt.time(9, 30), NEW_YORK)
        stamps.append(int(opens.timestamp()))
        closes.append(close)
    meta = {"currency": "USD", "exchangeTimezoneName": "America/New_York", "gmtoffset": -18000, "dataGranularity": "1d"}
    result = {"meta": meta, "timestamp": stamps, "indicators": {"quote": [{"close": closes}]}}
    return ("application/json", json.dumps({"chart": {"result": [result], "error": None}}))


def yahoo_from_csv(path, dates):
    return yahoo_chart([(day(r["Date"]), float(r["Close"])) for r in rows(path) if day(r["Date"]) in dates])


def yahoo_from_investing(path, dates):
    bars = [(day(r["Date"], "%m/%d/%Y"), float(r["Price"].replace(",", ""))) for r in rows(path)]
    return yahoo_chart(sorted(b for b in bars if b[0] in dates))


def cboe(path, dates):
    lines = ["DATE,OPEN,HIGH,LOW,CLOSE"]
    for r in rows(path):
        if day(r["DATE"]) in dates:
            lines.append(",".join([r["DATE"], r["OPEN"], r["HIGH"], r["LOW"], r["CLOSE"]]))
    return ("text/csv", "\n".join(lines) + "\n")


def klines(path, dates):
    out = []
    for r in rows(path):
        opens = dt.datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        if opens.date() in dates:
            close_ms = ms(opens + dt.timedelta(hours=4)) - 1
            out.append([ms(opens), r["open"], r["high"], r["low"], r["close"], r["volume"], close_ms, "0", 0, "0", "0", "0"])
    return ("application/json", json.dumps(out))


def funding(folder, dates):
    out = []
    for name in sorted(os.listdir(folder)):
        for r in rows(os.path.join(folder, name)):
            if dt.datetime.fromtimestamp(int(r["calc_time"]) // 1000, UTC).date() not in dates:
                continue
            out.append({"symbol": "BTCUSDT", "fundingTime": int(r["calc_time"]), "fundingRate": r["last_funding_rate"],
                        "markPrice": "0"})
    return ("application/json", json.dumps(out))


def open_interest(path, dates):
    out = []
    for r in rows(path):
        date = day(r["Date"], "%Y.%m.%d")
        if date not in dates:
            continue
        stamp = ms(dt.datetime.combine(date, dt.time(0, 0), UTC))
        out.append({"symbol": "BTCUSDT", "sumOpenInterest": "1", "sumOpenInterestValue": r["Data"], "timestamp": stamp})
    return ("application/json", json.dumps(out))


class Dates:
    """The days of one build's answers, both ends included."""

    def __init__(self, first, last):
        self.first, self.last = first, last

    def __contains__(self, date):
        return self.first <= date <= self.last


ANSWERS = {
    "us10y": lambda dates: fred(f"{data}/fred/DGS10__huhng24.csv", "DGS10", dates),
    "us2y": lambda dates: fred(f"{data}/fred-api-derived/DGS2__Thecoderstef.csv", "DGS2", dates),
    "real10y": lambda dates: fred(f"{data}/fred-api-derived/DFII10__Thecoderstef.csv", "DFII10", dates),
    "dxy": lambda dates: yahoo_from_csv(f"{data}/yfinance/DXY__BrunoPPivetti.csv", dates),
    "vix": lambda dates: cboe(f"{data}/cboe/VIX_History__datahub-finance-vix.csv", dates),
    "spx": lambda dates: yahoo_from_csv(f"{data}/yfinance/GSPC__BrunoPPivetti.csv", dates),
    "soxx": lambda dates: yahoo_from_investing(f"{data}/investing/SOXX__wongkaho2626.csv", dates),
    "btc": lambda dates: klines(f"{data}/binance/klines-4h/BTCUSDT_4h__rongyouwow-svg.csv", dates),
    "btc_4h": lambda dates: klines(f"{data}/binance/klines-4h/BTCUSDT_4h__rongyouwow-svg.csv", dates),
    "btc_funding": lambda dates: funding(f"{data}/binance/fundingRate/BTCUSDT", dates),
    "btc_oi": lambda dates: open_interest(f"{data}/unattributed/open_interest__heun630.csv", dates),
}


# --- the documented clocks (docs/sources.md "Clocks"), one per input of the URL manifest ---
def at(date, hour, minute, zone):
    return dt.datetime.combine(date, dt.time(hour, minute), zone).astimezone(UTC)


def next_business_day(date):
    date += dt.timedelta(days=1)
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


def known(input_name, time):
    date = time.date()
    if input_name in ("us10y", "us2y", "real10y"):  # fred_csv: H.15, 16:15 New York the next business day
        return at(next_business_day(date), 16, 15, NEW_YORK)
    if input_name in ("spx", "soxx"):  # yahoo_chart_json: the NYSE close
        return at(date, 16, 0, NEW_YORK)
    if input_name == "dxy":  # manifest: known_at 17:00 (ICE)
        return at(date, 17, 0, NEW_YORK)
    if input_name == "vix":  # cboe_csv: 16:15 New York
        return at(date, 16, 15, NEW_YORK)
    if input_name == "btc":  # daily_at_hour 20: the 4h bar closing at 20:00Z, dated by its day
        return dt.datetime.combine(date, dt.time(20, 0), UTC) if time.hour == 0 else time
    return time  # klines at their close, funding and open interest: instants


def parse(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ" if "T" in text else "%Y-%m-%d").replace(tzinfo=UTC)


def shown(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- what each answer holds, as its reader documents it (docs/sources.md "Readers") -----------
def observation_times(name, body):
    if name in ("us10y", "us2y", "real10y"):  # missing values (`.`) are left out
        lines = body.splitlines()[1:]
        return [parse(l.split(",")[0]) for l in lines if l.split(",")[1] not in (".", "")]
    if name in ("dxy", "spx", "soxx"):  # session dates, New York
        result = json.loads(body)["chart"]["result"][0]
        return [dt.datetime.combine(dt.datetime.fromtimestamp(t, NEW_YORK).date(), dt.time(0), UTC) for t in result["timestamp"]]
    if name == "vix":
        return [parse(l.split(",")[0]) for l in body.splitlines()[1:]]
    if name == "btc_4h":  # each bar at its close
        return [dt.datetime.fromtimestamp((k[6] + 1) // 1000, UTC) for k in json.loads(body)]
    if name == "btc":  # the bar closing at 20:00Z, dated by its day
        closes = [dt.datetime.fromtimestamp((k[6] + 1) // 1000, UTC) for k in json.loads(body)]
        return [dt.datetime.combine(c.date(), dt.time(0), UTC) for c in closes if c.hour == 20]
    if name == "btc_funding":
        return [dt.datetime.fromtimestamp(r["fundingTime"] // 1000, UTC) for r in json.loads(body)]
    if name == "btc_oi":
        return [dt.datetime.fromtimestamp(r["timestamp"] // 1000, UTC) for r in json.loads(body)]
    raise KeyError(name)


# --- the server, the manifest, the builds ----------------------------------------------------
answers = {}  # "<build>/<input>" -> (content type, body), each build's before it runs
# Where each input's data ends: a build long after that keeps the 400 days before its end.
ends = {name: max(observation_times(name, make(Dates(FIRST, dt.date.max))[1])) for name, make in ANSWERS.items()}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        name = urllib.parse.urlparse(self.path).path.strip("/")  # "<build>/<input>"
        kind, body = answers.get(name, ("text/plain", None))
        payload = (body or "not found").encode()
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
failures = []
with tempfile.TemporaryDirectory(prefix="riskoff-known-at-urls-") as tmp:
    with open(os.path.join(source_dir, "examples", "sources.json")) as f:
        manifest = json.load(f)
    shipped = set(manifest["inputs"])
    if shipped != set(ANSWERS):
        sys.exit(f"FAIL: examples/sources.json has inputs {sorted(shipped)}; this test serves {sorted(ANSWERS)}: "
                 "a new input needs its answer and its documented clock here")
    manifest["http"] = {"cache_dir": os.path.join(tmp, "cache"), "max_age_hours": 1, "allow_http": True}
    queries = {name: urllib.parse.urlparse(entry["url"]).query for name, entry in manifest["inputs"].items()}
    stream = random.Random(20260204)
    first = dt.datetime(2020, 6, 1, tzinfo=UTC)
    for k in range(20):
        as_of = first + dt.timedelta(days=stream.randrange(2000), seconds=stream.randrange(86400))
        if part and k // per_part != part - 1:
            continue
        observations = {}
        for name, make in ANSWERS.items():
            dates = Dates(max(FIRST, (min(as_of, ends[name]) - BEFORE).date()), (as_of + AFTER).date())
            answers[f"{k}/{name}"] = make(dates)
            observations[name] = sorted(observation_times(name, answers[f"{k}/{name}"][1]))
            entry = manifest["inputs"][name]
            entry["url"] = f"http://127.0.0.1:{server.server_address[1]}/{k}/{name}?{queries[name]}"
        path = os.path.join(tmp, f"sources-{k}.json")
        with open(path, "w") as f:
            json.dump(manifest, f)
        built = subprocess.run([riskoff, "snapshot", "build", "--sources", path, "--as-of", shown(as_of), "-o", "-",
                                "--allow-missing"], capture_output=True, text=True)
        if built.returncode != 0:
            failures.append(f"as of {shown(as_of)}: exit {built.returncode}: {built.stderr}")
            continue
        snapshot = json.loads(built.stdout)
        for name in sorted(shipped):
            # The answer cut at the as-of: every observation it holds that was known by then.
            cut = [t for t in observations[name] if known(name, t) <= as_of]
            entry = snapshot["inputs"].get(name, {"times": []})
            times = [parse(t) for t in entry["times"]]
            written = [parse(t) for t in entry.get("known_at", entry["times"])]
            for time, said in zip(times, written):
                if known(name, time) > as_of:
                    failures.append(f"as of {shown(as_of)}: `{name}` holds {shown(time)}, known only at {shown(known(name, time))}")
                elif said != known(name, time):
                    failures.append(f"as of {shown(as_of)}: `{name}` {shown(time)}: the snapshot says known at {shown(said)}, "
                                    f"the documented clock {shown(known(name, time))}")
            last = shown(times[-1]) if times else "nothing"
            expected = shown(cut[-1]) if cut else "nothing"
            if last != expected:
                failures.append(f"as of {shown(as_of)}: `{name}` ends at {last}; the answer cut at the as-of ends at {expected}")
        if len(failures) > 20:
            break
server.shutdown()
for failure in failures[:20]:
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print(f"known_at_urls: {per_part if part else 20} as-ofs, {len(ANSWERS)} inputs of examples/sources.json: every observation known by its as-of")
