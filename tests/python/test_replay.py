"""riskoff.replay() over 2017-2026 against `riskoff replay --format csv`."""

import io

import numpy as np
import pandas as pd
import pytest

import riskoff
from conftest import cli

ARGS = dict(sources="examples/sources-local.json", start="2017-01-01", end="2026-02-06", profile="swing")


@pytest.fixture(scope="module")
def run(rules, source):
    import os
    os.chdir(source)
    return riskoff.replay(rules, **ARGS)


@pytest.fixture(scope="module")
def cli_csv(source):
    import os
    os.chdir(source)
    done = cli("replay", "-r", "rulesets/riskoff.rules", "--sources", ARGS["sources"], "--from", ARGS["start"],
               "--to", ARGS["end"], "--profile", "swing", "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_frame_has_the_csv_columns_a_utc_index_and_dtypes(run, cli_csv):
    frame = run.frame
    header = cli_csv.split("\n", 1)[0].split(",")
    assert ["time"] + list(frame.columns) == header
    assert isinstance(frame.index, pd.DatetimeIndex) and str(frame.index.tz) == "UTC" and frame.index.name == "time"
    assert frame["action"].dtype == "category"
    assert frame["depends_on_unknown"].dtype == bool
    for column in ["reference", "exposure", "overlay"] + list(frame.columns[7:]):
        assert frame[column].dtype == np.float64, column
    assert len(frame) == len(run) == run.summary["steps"]


def test_the_frame_equals_the_cli_csv(run, cli_csv):
    expected = pd.read_csv(io.StringIO(cli_csv), keep_default_na=False, na_values={"reference": [""]},
                           dtype={"regime": str, "groups_on": str, "action": str})
    frame = run.frame
    times = pd.to_datetime(expected["time"], utc=True, format="%Y-%m-%dT%H:%M:%SZ")
    assert (frame.index == pd.DatetimeIndex(times)).all()
    assert list(frame["action"].astype(str)) == list(expected["action"])
    assert list(frame["depends_on_unknown"]) == list(expected["depends_on_unknown"])
    assert list(frame["regime"]) == list(expected["regime"])
    assert list(frame["groups_on"]) == list(expected["groups_on"])
    # The CSV prints reference and overlay with 6 significant digits, exposure with %g.
    for column in ("reference", "exposure", "overlay"):
        np.testing.assert_allclose(frame[column], expected[column].astype(float), rtol=5e-6, equal_nan=True,
                                   err_msg=column)
    for column in frame.columns[7:]:
        got = frame[column].to_numpy()
        want = pd.to_numeric(expected[column].replace("", np.nan)).to_numpy(dtype=float)
        np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True, err_msg=column)
    assert run.csv == cli_csv


def test_arrays_are_read_only_views_of_the_librarys_data(run):
    exposure = run.exposure
    assert exposure.base is not None and not exposure.flags.writeable and exposure.flags.c_contiguous
    assert np.shares_memory(exposure, run.exposure)  # the same buffer, no copy per access
    with pytest.raises(ValueError):
        exposure[0] = 2.0
    assert run.overlay_value[0] == pytest.approx(1.0) and run.hold_value[0] == pytest.approx(1.0)


def test_summary_and_report(run):
    summary = run.summary
    assert summary["steps"] == len(run)
    assert sum(summary["steps_per_action"].values()) + summary["undecided"] == len(run)
    assert run.report["summary"] == summary


def test_replay_html_is_the_reports_svg_chart(run):
    html = run._repr_html_()
    assert "<svg" in html and "overlay" in html.lower()


def test_next_open_execution_equals_the_cli(rules, source):
    import os
    os.chdir(source)
    window = dict(sources=ARGS["sources"], start="2025-01-01", end="2025-06-30", profile="swing")
    done = cli("replay", "-r", "rulesets/riskoff.rules", "--sources", window["sources"], "--from", window["start"],
               "--to", window["end"], "--profile", "swing", "--execution", "next-open", "--format", "csv")
    assert done.returncode == 0, done.stderr
    opened = riskoff.replay(rules, execution="next-open", **window)
    assert opened.csv == done.stdout
    closed = riskoff.replay(rules, **window)
    # Same decisions, traded at other prices: the overlay differs, the actions do not.
    assert list(opened.frame["action"]) == list(closed.frame["action"])
    assert not np.allclose(opened.frame["overlay"], closed.frame["overlay"]), "next-open gave the next-close overlay"


def test_replay_errors_name_the_option(rules):
    with pytest.raises(riskoff.UsageError, match="execution= is one of next-close, next-open"):
        riskoff.replay(rules, sources=ARGS["sources"], start="2025-01-01", execution="next-day")
    with pytest.raises(riskoff.UsageError, match="profile"):
        riskoff.replay(rules, sources=ARGS["sources"], start="2025-01-01", profile="nope")
    with pytest.raises(riskoff.UsageError, match="start"):
        riskoff.replay(rules, sources=ARGS["sources"], start="yesterday")
    with pytest.raises(riskoff.UsageError, match="sources="):
        riskoff.replay(rules, start="2025-01-01")
    with pytest.raises(riskoff.DataError):
        riskoff.replay(rules, sources="tests/python/conftest.py", start="2025-01-01")
