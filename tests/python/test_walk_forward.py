"""riskoff.walk_forward() against `riskoff replay --walk-forward ... --format csv` and the text: the same
bytes, the folds' and the span's frames, every grid point's figures per train window, errors as
exceptions carrying the library's messages. Four folds over two months of the replay fixture
(the golden walk_forward_* cases) keep it quick."""

import io

import pandas as pd
import pytest

import riskoff
from conftest import cli
from test_sweep import ARGS, CLI_REPLAY, FIGURES, FIXTURE

GRID = {"dollar_jump": "0.4%..1.2%/0.4%", "spx_drop": ["-4%", "-2%"]}
CLI_WALK = [*CLI_REPLAY, "--walk-forward", "20d/10d", "--sweep", "dollar_jump=0.4%..1.2%/0.4%",
            "--sweep", "spx_drop=-4%,-2%", "--objective", "sharpe"]


@pytest.fixture(scope="module")
def walked(source):
    import os
    os.chdir(source)
    rules = riskoff.Ruleset.from_file(source / FIXTURE / "new.rules")
    return riskoff.walk_forward(rules, GRID, "20d/10d", objective="sharpe", **ARGS)


def test_the_walk_forward_equals_the_cli(walked):
    # CSV and text from the shipped binary (the JSON is the same report's, rendered by the same code).
    done = cli(*CLI_WALK, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert walked.csv == done.stdout
    assert walked.text == cli(*CLI_WALK).stdout
    assert walked.report["schema"] == "riskoff.walk_forward/1" and len(walked.report["folds"]) == 4


def test_the_folds_frame_is_the_csv_rows(walked):
    folds = walked.folds
    assert len(walked) == len(folds) == 4
    assert list(folds.columns[:11]) == ["fold", "train_from", "train_to", "train_steps", "test_from", "test_to",
                                        "test_steps", "chosen", "dollar_jump", "spx_drop", "objective_met"]
    assert str(folds["train_from"].dtype) == "datetime64[ns, UTC]" and folds["test_steps"].dtype == "int64"
    csv = pd.read_csv(io.StringIO(walked.csv), keep_default_na=False, float_precision="round_trip")
    assert list(folds["chosen"]) == list(csv["chosen"])
    assert list(folds["test_from"].dt.strftime("%Y-%m-%d")) == list(csv["test_from"])
    for when in ("in_sample", "out_of_sample"):
        for figure in ("total_return", "annual_return", "sharpe", "max_drawdown"):
            # An undefined figure (a Sharpe on a flat fold) is an empty CSV cell and NaN in the frame.
            want = [float("nan") if cell == "" else float(cell) for cell in csv[f"{when}_{figure}"]]
            got = list(folds[f"{when}_{figure}"])
            assert [str(v) for v in got] == [str(v) for v in want], f"{when}_{figure}: {got} != {want}"
    assert walked.parameters == ["dollar_jump", "spx_drop"]
    assert list(folds["dollar_jump"] + " " + folds["spx_drop"]) == [c.replace("dollar_jump=", "").replace("spx_drop=", "")
                                                                    for c in folds["chosen"]]


def test_the_span_table_and_the_grids_the_choices_came_from(walked):
    span = walked.span
    assert list(span.index) == ["out of sample (stitched)", "in sample (hindsight)", "own values", "buy-and-hold"]
    assert list(span.columns) == FIGURES
    tested = walked.report["tested"]
    for row, key in (("out of sample (stitched)", "out_of_sample"), ("in sample (hindsight)", "in_sample"),
                     ("own values", "own"), ("buy-and-hold", "hold")):
        assert span.loc[row].to_dict() == tested[key], row
    for fold in range(1, 5):
        grid = walked.train_grid(fold)
        assert grid.shape == (6, 2 + len(FIGURES))
        row = walked.folds.iloc[fold - 1]
        chosen = grid[(grid["dollar_jump"] == row["dollar_jump"]) & (grid["spx_drop"] == row["spx_drop"])]
        # The chosen point's figures on the train window are the fold's in-sample figures, and the
        # objective (the highest Sharpe, ties to the first point) picked it.
        assert chosen["sharpe"].iloc[0] == row["in_sample_sharpe"] == grid["sharpe"].max()
    # The hindsight choice is the highest Sharpe over the span's grid, with its figures.
    hindsight = walked.span_grid
    assert walked.hindsight == tested["in_sample_set"]
    best = hindsight.loc[hindsight["sharpe"].idxmax()]
    assert " ".join(f"{p}={best[p]}" for p in walked.parameters) == " ".join(walked.hindsight)
    assert best["sharpe"] == span.loc["in sample (hindsight)", "sharpe"]


def test_errors_carry_the_librarys_message(walked, source):
    rules = riskoff.Ruleset.from_file(source / FIXTURE / "new.rules")
    with pytest.raises(riskoff.UsageError, match="is not TRAIN/TEST"):
        riskoff.walk_forward(rules, GRID, "twenty days", **ARGS)
    with pytest.raises(riskoff.UsageError, match="shorter than one train window"):
        riskoff.walk_forward(rules, GRID, "2y/1y", **ARGS)
    with pytest.raises(riskoff.UsageError, match="fold is a number from 1 to 4"):
        walked.train_grid(0)


def test_baselines_are_rows_of_the_span_as_the_cli_gives_them(source):
    rules = riskoff.Ruleset.from_file(source / FIXTURE / "new.rules")
    baselines = ["rulesets/baselines/always_wait.rules", "rulesets/baselines/spx_below_200d.rules"]
    walked = riskoff.walk_forward(rules, {"dollar_jump": "0.4%..1.2%/0.4%"}, "20d/10d", baselines=baselines, **ARGS)
    done = cli(*CLI_REPLAY, "--walk-forward", "20d/10d", "--sweep", "dollar_jump=0.4%..1.2%/0.4%", "--baseline",
               baselines[0], "--baseline", baselines[1], "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert walked.csv == done.stdout
    assert list(walked.span.index) == ["out of sample (stitched)", "in sample (hindsight)", "own values",
                                       "always_wait", "spx_below_200d", "buy-and-hold"]
