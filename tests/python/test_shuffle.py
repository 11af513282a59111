"""riskoff.shuffle() (and Replay.shuffle()) against `riskoff replay --shuffle N --seed S --format csv`:
the same draws, the ranks of the JSON report, errors as exceptions carrying the library's messages."""

import io

import pandas as pd
import pytest

import riskoff
from conftest import cli
from test_sweep import ARGS, CLI_REPLAY, FIGURES, FIXTURE


@pytest.fixture(scope="module")
def run(source):
    import os
    os.chdir(source)
    return riskoff.replay(riskoff.Ruleset.from_file(source / FIXTURE / "new.rules"), **ARGS)


@pytest.fixture(scope="module")
def shuffled(run):
    return run.shuffle(shuffles=40, seed=7)


def test_the_shuffle_draws_equal_the_cli_csv(shuffled):
    done = cli(*CLI_REPLAY, "--shuffle", "40", "--seed", "7", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert shuffled.csv == done.stdout
    expected = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False, float_precision="round_trip")
    real, draws = expected.iloc[0], expected.iloc[1:].reset_index(drop=True)
    draws = draws.astype({"draw": "int64", "turnover": "float64"})
    pd.testing.assert_frame_equal(shuffled.draws, draws, check_exact=True)
    assert shuffled.draws.shape == (80, 10)
    assert shuffled.real == {name: real[name] for name in FIGURES}


def test_the_shuffle_ranks_are_the_reports(shuffled):
    ranks = shuffled.ranks
    report = shuffled.report
    assert ranks.shape == (6, 9)
    assert list(ranks["kind"].unique()) == shuffled.kinds == ["spells shuffled", "random entries"]
    assert ranks["significant"].dtype == bool and ranks["percentile"].between(0, 1).all()
    assert report["seed"] == 7 and shuffled.shuffles == 40
    assert "percentile" in shuffled._repr_html_()


def test_the_same_seed_gives_the_same_draws(run, shuffled, rules):
    assert riskoff.shuffle(run, shuffles=40, seed=7).csv == shuffled.csv
    assert run.shuffle(shuffles=40, seed=8).csv != shuffled.csv
    # From a ruleset: replayed first with the replay keywords (here over a snapshot's series,
    # which reads no file), then shuffled.
    history = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    recent = dict(sources=history, start="2025-12-01", profile="swing")
    direct = riskoff.shuffle(rules, shuffles=20, seed=3, **recent)
    assert direct.csv == riskoff.replay(rules, **recent).shuffle(shuffles=20, seed=3).csv


def test_shuffle_errors_carry_the_librarys_messages(run):
    with pytest.raises(riskoff.UsageError, match="shuffle"):
        riskoff.shuffle(run, shuffles=0)
    with pytest.raises(riskoff.UsageError, match="level"):
        run.shuffle(shuffles=10, level=1.5)
    with pytest.raises(riskoff.UsageError, match="Replay or a riskoff.Ruleset"):
        riskoff.shuffle("rules")
