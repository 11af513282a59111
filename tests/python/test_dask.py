"""riskoff.sweep(..., client=) on a Dask LocalCluster of 2 worker processes: the grid points
are replayed on the workers (the ruleset travels as text, the history as a path or as a
snapshot's JSON) and the result equals the single-process sweep exactly, row order and CSV bytes.
(test_dask_folds.py: the walk-forward and the shuffle test on a cluster of their own.)

Skipped when dask.distributed is not importable, unless RISKOFF_REQUIRE_DASK is set (CI sets it:
.ci/run). The workers inherit this process's environment: PYTHONPATH at the build tree's package
and, under the ASan build, the preloaded runtime (tests/python/CMakeLists.txt)."""

import os

import pandas as pd
import pytest

import riskoff

try:
    from distributed import Client, LocalCluster
except ImportError as missing:  # pragma: no cover - depends on the machine
    if os.environ.get("RISKOFF_REQUIRE_DASK"):
        raise RuntimeError(f"RISKOFF_REQUIRE_DASK is set but dask.distributed does not import: {missing}; "
                           "install python3-dask python3-distributed (./scripts/install-deps)") from missing
    pytest.skip(f"dask.distributed is not importable ({missing}); install python3-dask python3-distributed "
                "or set RISKOFF_REQUIRE_DASK=1 to make this a failure", allow_module_level=True)

# The replay fixture's small manifest (tests/golden/replay/): a path every worker reads, quick to load.
FIXTURE = "tests/golden/replay/"
ARGS = dict(sources=FIXTURE + "data/sources.json", start="2022-04-01", end="2022-05-31")
GRID = {"dollar_jump": "0.4%..1.2%/0.4%", "spx_drop": ["-3%", "-2%"]}


@pytest.fixture(scope="module")
def fixture_rules(source):
    return riskoff.Ruleset.from_file(source / FIXTURE / "new.rules")


@pytest.fixture(scope="module")
def client(source):
    os.chdir(source)
    cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    with Client(cluster) as connected:
        yield connected
    cluster.close()


def test_the_cluster_sweep_equals_the_local_sweep(fixture_rules, client):
    local = riskoff.sweep(fixture_rules, GRID, **ARGS)
    assert len(local) == 6 and local.plateau.own_point is not None
    spread = riskoff.sweep(fixture_rules, GRID, client=client, **ARGS)
    assert spread.csv == local.csv
    assert spread.text == local.text and spread.report == local.report and spread.svg == local.svg
    pd.testing.assert_frame_equal(spread.frame, local.frame, check_exact=True)
    assert spread.plateau.text == local.plateau.text
    assert len(client.scheduler_info()["workers"]) == 2


def test_history_as_a_snapshots_columns_in_any_number_of_tasks(rules, client, source):
    # A history handed over in memory travels as the snapshot's JSON (its plain columns); three
    # tasks on two workers put back in grid order all the same.
    history = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    args = dict(sources=history, start="2025-12-01", profile="swing")
    small = {"yield_jump": ["10bp", "15bp", "20bp"]}
    expected = riskoff.sweep(rules, small, **args).csv
    assert riskoff.sweep(rules, small, client=client, chunks=3, **args).csv == expected



def test_the_cluster_sweep_with_baselines_equals_the_local_sweep(fixture_rules, client):
    # The baselines are replayed with the grid alone (only = []) and put back beside the shares'
    # points: the same table, the same bytes as the sweep made in one process.
    baselines = ["rulesets/baselines/always_wait.rules", "rulesets/baselines/spx_below_200d.rules"]
    local = riskoff.sweep(fixture_rules, GRID, baselines=baselines, **ARGS)
    assert len(local.baselines) == 2
    spread = riskoff.sweep(fixture_rules, GRID, baselines=baselines, client=client, chunks=3, **ARGS)
    assert spread.csv == local.csv and spread.text == local.text and spread.report == local.report
    pd.testing.assert_frame_equal(spread.baselines, local.baselines, check_exact=True)
