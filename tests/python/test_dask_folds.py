"""riskoff.walk_forward(..., client=) and riskoff.shuffle(..., client=) on a Dask LocalCluster of 2
worker processes: a walk-forward's grid points are replayed on every train window and over the
tested span on the workers, a shuffle test's draws made there (each seeded from (seed, kind,
draw) alone), and each result equals the single-process one exactly: frames and every
rendering's bytes, however the work is split. The cluster and the skip rule are test_dask.py's
(a file of its own, so that each stays under the 60 s limit on a loaded machine)."""

import pandas as pd

import riskoff
from test_dask import ARGS, client, fixture_rules  # noqa: F401 (fixtures)


def test_the_cluster_walk_forward_equals_the_local_one(fixture_rules, client):
    grid = {"dollar_jump": "0.4%..1.2%/0.4%", "spx_drop": ["-4%", "-2%"]}
    local = riskoff.walk_forward(fixture_rules, grid, "20d/10d", objective="return-dd<=2%", **ARGS)
    assert len(local) == 4
    spread = riskoff.walk_forward(fixture_rules, grid, "20d/10d", objective="return-dd<=2%", client=client, **ARGS)
    assert spread.csv == local.csv and spread.text == local.text and spread.report == local.report
    pd.testing.assert_frame_equal(spread.folds, local.folds, check_exact=True)
    pd.testing.assert_frame_equal(spread.span, local.span, check_exact=True)
    for fold in range(1, len(local) + 1):
        pd.testing.assert_frame_equal(spread.train_grid(fold), local.train_grid(fold), check_exact=True)
    pd.testing.assert_frame_equal(spread.span_grid, local.span_grid, check_exact=True)
    # More tasks than workers, fewer points in some: the same.
    chunked = riskoff.walk_forward(fixture_rules, grid, "20d/10d", objective="return-dd<=2%", client=client, chunks=4,
                                   **ARGS)
    assert chunked.csv == local.csv


def test_the_cluster_shuffle_equals_the_local_one(fixture_rules, client):
    run = riskoff.replay(fixture_rules, **ARGS)
    local = run.shuffle(shuffles=60, seed=11)
    spread = run.shuffle(shuffles=60, seed=11, client=client)
    assert spread.csv == local.csv and spread.text == local.text and spread.report == local.report
    pd.testing.assert_frame_equal(spread.draws, local.draws, check_exact=True)
    pd.testing.assert_frame_equal(spread.ranks, local.ranks, check_exact=True)
    # Draws split into 7 tasks: each draw is seeded on its own, so the split does not matter.
    assert riskoff.shuffle(fixture_rules, shuffles=60, seed=11, client=client, chunks=7, **ARGS).csv == local.csv
