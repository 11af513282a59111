"""riskoff.sweep() against `riskoff replay --sweep --format csv`: the same rows and bytes, the
frame's shape and dtypes, the plateau verdict, errors as exceptions carrying the library's
messages. A 3 x 2 grid over two months of the replay fixture keeps it quick."""

import io
import json

import numpy as np
import pandas as pd
import pytest

import riskoff
from conftest import cli

# The replay fixture (tests/golden/replay/: new.rules and a small manifest): quick to read, so the
# file stays inside the 60 s limit on a loaded machine under ASan.
FIXTURE = "tests/golden/replay/"
ARGS = dict(sources=FIXTURE + "data/sources.json", start="2022-04-01", end="2022-05-31")
GRID = {"dollar_jump": "0.4%..1.2%/0.4%", "spx_drop": ["-3%", "-2%"]}
CLI_GRID = ["--sweep", "dollar_jump=0.4%..1.2%/0.4%", "--sweep", "spx_drop=-3%,-2%"]
CLI_REPLAY = ["replay", "-r", FIXTURE + "new.rules", "--sources", ARGS["sources"], "--from", ARGS["start"],
              "--to", ARGS["end"]]
FIGURES = ["total_return", "annual_return", "volatility", "max_drawdown", "sharpe", "off_wait", "changes", "turnover"]


@pytest.fixture(scope="module")
def fixture_rules(source):
    return riskoff.Ruleset.from_file(source / FIXTURE / "new.rules")


@pytest.fixture(scope="module")
def grid(fixture_rules, source):
    import os
    os.chdir(source)
    return riskoff.sweep(fixture_rules, GRID, **ARGS)


@pytest.fixture(scope="module")
def cli_csv(source):
    import os
    os.chdir(source)
    done = cli(*CLI_REPLAY, *CLI_GRID, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_frame_has_the_csv_columns_and_dtypes(grid, cli_csv):
    frame = grid.frame
    assert list(frame.columns) == cli_csv.split("\n", 1)[0].split(",")
    assert list(frame.columns) == ["dollar_jump", "spx_drop", "own"] + FIGURES
    assert frame.shape == (6, 11) and len(grid) == 6
    assert frame["dollar_jump"].dtype == object and frame["spx_drop"].dtype == object
    assert frame["own"].dtype == bool and frame["changes"].dtype == np.int64
    for column in FIGURES:
        if column != "changes":
            assert frame[column].dtype == np.float64, column
    # Grid order, the last parameter fastest.
    assert list(frame["dollar_jump"]) == ["0.4%", "0.4%", "0.8%", "0.8%", "1.2%", "1.2%"]
    assert list(frame["spx_drop"]) == ["-3%", "-2%"] * 3


def test_the_frame_equals_the_cli_csv_exactly(grid, cli_csv):
    expected = pd.read_csv(io.StringIO(cli_csv), dtype={"dollar_jump": str, "spx_drop": str}, float_precision="round_trip")
    # The CSV writes the shortest digits that read back to the same double: equal, not close
    # (a whole turnover is written without a point, so pandas would read that column as integers).
    expected = expected.astype({"turnover": "float64"})
    pd.testing.assert_frame_equal(grid.frame, expected, check_exact=True)
    assert grid.csv == cli_csv


def test_the_plateau_verdict_is_the_reports(grid):
    plateau = grid.plateau
    report = grid.report
    assert report["schema"] == "riskoff.sweep/1"
    assert plateau.verdict == report["plateau"]["verdict"] and plateau.verdict in ("plateau", "edge")
    assert plateau.own_point == report["plateau"]["own_point"] == 2  # dollar_jump=0.8%, spx_drop=-3%
    assert plateau.neighbours == report["plateau"]["neighbours"] == [0, 3, 4]
    assert plateau.text == report["plateau"]["text"]
    assert " ".join(plateau.text.split()) in " ".join(grid.text.split())  # the text report wraps it
    assert plateau.own_values == {"dollar_jump": "0.8%", "spx_drop": "-3%"}
    assert list(grid.frame["own"]) == [False, False, True, False, False, False]


def test_the_html_view_is_the_heatmap_and_the_table(grid):
    assert grid.svg.startswith("<svg") or grid.svg.startswith("<?xml")
    html = grid._repr_html_()
    assert "<svg" in html and "Plateau" in html and "dollar_jump" in html


def test_a_grid_given_as_texts_is_the_same_sweep(rules):
    # Over a snapshot's series (no file read): the grid as a dict, as --sweep texts, one thread.
    recent = dict(sources=riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), start="2025-12-01",
                  profile="swing")
    as_dict = riskoff.sweep(rules, {"yield_jump": "10bp..20bp/5bp", "vix_stress": [20, 25, 30]}, **recent)
    as_texts = riskoff.sweep(rules, ["yield_jump=10bp,15bp,20bp", "vix_stress=20,25,30"], threads=1, **recent)
    assert as_dict.csv == as_texts.csv and len(as_dict) == 9


def test_errors_carry_the_librarys_messages(rules):
    # Over a snapshot's series: an unknown parameter is found once the history is in hand.
    recent = dict(sources=riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), start="2025-12-01",
                  profile="swing")
    with pytest.raises(riskoff.UsageError) as unknown:
        riskoff.sweep(rules, {"yield_jmp": ["10bp"]}, **recent)
    assert "unknown parameter `yield_jmp`" in str(unknown.value)
    assert any("yield_jump" in message for message in unknown.value.messages)
    # A grid over the bound is refused before the history is read.
    with pytest.raises(riskoff.UsageError, match="more than 10000 points"):
        riskoff.sweep(rules, {"yield_jump": "1bp..101bp/1bp", "dollar_jump": "0.01%..1%/0.01%"}, **recent)
    with pytest.raises(riskoff.UsageError, match="no value"):
        riskoff.sweep(rules, {"yield_jump": []}, **ARGS)
    with pytest.raises(riskoff.UsageError, match="sources="):
        riskoff.sweep(rules, GRID, start="2022-04-01")


def test_errors_keep_their_kind_and_messages_when_pickled():
    # How an error on a Dask worker comes back to the caller.
    import pickle

    error = pickle.loads(pickle.dumps(riskoff.DataError(["`a.csv` line 3: expected a date", "second"])))
    assert type(error) is riskoff.DataError and error.messages == ["`a.csv` line 3: expected a date", "second"]
    assert str(error) == "`a.csv` line 3: expected a date\nsecond"


def test_baselines_over_the_points_steps_as_the_cli_gives_them(fixture_rules):
    baselines = ["rulesets/baselines/always_wait.rules", "rulesets/baselines/spx_below_200d.rules"]
    grid = riskoff.sweep(fixture_rules, {"dollar_jump": "0.4%..1.2%/0.4%"}, baselines=baselines, **ARGS)
    done = cli(*CLI_REPLAY, "--sweep", "dollar_jump=0.4%..1.2%/0.4%", "--baseline", baselines[0], "--baseline",
               baselines[1], "--format", "json")
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)["baselines"]
    assert grid.report["baselines"] == expected
    frame = grid.baselines
    assert list(frame.columns) == ["ruleset", "version", "file", *FIGURES]
    assert list(frame["ruleset"]) == ["always_wait", "spx_below_200d"] and frame["changes"].dtype == "int64"
    for row, want in zip(frame.to_dict("records"), expected):
        assert row == want
    assert len(riskoff.sweep(fixture_rules, {"dollar_jump": "0.4%..1.2%/0.4%"}, **ARGS).baselines) == 0
