#!/usr/bin/env python3
"""Cuts the vendored test data out of ../shared/data (see README.md here).

Each file keeps its header lines byte for byte (BOM, comment lines) and only the data rows whose
date falls in the kept range, in the file's own order and with its own line endings; no value is
edited. Run from the repository root: python3 tests/data/slice.py ../shared/data
"""
import datetime
import pathlib
import re
import shutil
import sys

FROM, TO = datetime.date(2019, 11, 1), datetime.date(2020, 5, 31)

# path under shared/data -> number of header lines
BY_DATE = {
    "fred/DGS10__huhng24.csv": 1,
    "fred/DGS10__js5810.csv": 1,
    "fred-api-derived/DGS2__Thecoderstef.csv": 1,
    "fred-api-derived/DFII10__Thecoderstef.csv": 1,
    "yfinance/DXY__BrunoPPivetti.csv": 1,
    "yfinance/GSPC__BrunoPPivetti.csv": 1,
    "yahoo/DX-Y.NYB__Navya-Manya.csv": 1,
    "cboe/VIX_History__datahub-finance-vix.csv": 1,
    "ibkr/intraday/SPX_4h__heliar-k.csv": 1,
    "investing/SOXX__wongkaho2626.csv": 1,
    "investing/SPX__wongkaho2626.csv": 1,
    "barchart/S5TW_S5FI_S5TH__riverfjs.csv": 2,
    "binance/klines-4h/BTCUSDT_4h__rongyouwow-svg.csv": 1,
    "unattributed/open_interest__heun630.csv": 1,
}
# Files whose rows all lie outside the period: the first rows in file order, to read the format.
FIRST_ROWS = {
    "coinalyze/open_interest_history__CryptoVizArt.csv": 10,
    "coinalyze/liquidation_history__CryptoVizArt.csv": 10,
}
# Small files copied whole (about 4 KB a month).
WHOLE = [f"binance/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-0{month}.csv" for month in range(1, 6)]


def row_date(line: bytes) -> datetime.date:
    """The date of a data row: ISO (with or without a time), "MM/DD/YYYY", or YYYY.M.D."""
    first = line.split(b",", 1)[0].strip(b'"').decode()
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", first):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.match(r"(\d{2})/(\d{2})/(\d{4})$", first):
        return datetime.date(int(m[3]), int(m[1]), int(m[2]))
    if m := re.match(r"(\d{4})\.(\d{1,2})\.(\d{1,2})$", first):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(f"no date in {line!r}")


def main(shared: pathlib.Path) -> None:
    here = pathlib.Path(__file__).parent
    for relative, headers in BY_DATE.items():
        lines = (shared / relative).read_bytes().splitlines(keepends=True)
        kept = lines[:headers] + [line for line in lines[headers:] if line.strip() and FROM <= row_date(line) <= TO]
        (here / relative).parent.mkdir(parents=True, exist_ok=True)
        (here / relative).write_bytes(b"".join(kept))
    for relative, count in FIRST_ROWS.items():
        lines = (shared / relative).read_bytes().splitlines(keepends=True)
        (here / relative).parent.mkdir(parents=True, exist_ok=True)
        (here / relative).write_bytes(b"".join(lines[: 1 + count]))
    for relative in WHOLE:
        (here / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared / relative, here / relative)


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
