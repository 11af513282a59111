"""The GIL is released while the library works: decide() from many threads at once gives the
same decisions, and another Python thread keeps running during a replay. Replays from a history
store and from series in memory."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import riskoff
from conftest import SNAPSHOTS, cli

SOURCES = "examples/sources-local.json"


def test_decide_from_many_threads_gives_the_same_decisions(rules):
    snapshots = [riskoff.Snapshot.from_file(f"examples/snapshots/{day}.json") for day in SNAPSHOTS]
    alone = [rules.decide(s, profile="swing").json for s in snapshots]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda k: rules.decide(snapshots[k % 3], profile="swing").json, range(24)))
    assert together == [alone[k % 3] for k in range(24)]


def test_python_keeps_running_while_a_replay_runs(rules):
    done = {}
    worker = threading.Thread(target=lambda: done.setdefault(
        "run", riskoff.replay(rules, sources=SOURCES, start="2025-07-01", end="2025-12-31", profile="swing")))
    ticks = 0
    worker.start()
    while worker.is_alive():
        ticks += 1  # would stay near 0 if the replay held the GIL
    worker.join()
    assert len(done["run"]) > 100
    assert ticks > 10_000, f"the main thread ran only {ticks} iterations during the replay"


def test_replay_from_a_history_store_matches_the_sources(rules, tmp_path):
    db = tmp_path / "history.sqlite"
    imported = cli("data", "import", "--db", str(db), "--sources", SOURCES)
    assert imported.returncode == 0, imported.stderr
    args = dict(start="2025-10-01", end="2025-12-31", profile="swing")
    from_store = riskoff.replay(rules, history=db, **args)
    from_sources = riskoff.replay(rules, sources=SOURCES, **args)
    assert from_store.frame.drop(columns=["regime", "groups_on"]).equals(
        from_sources.frame.drop(columns=["regime", "groups_on"]))


def test_replay_from_series_in_memory(rules):
    history = riskoff.Snapshot.from_sources(SOURCES, "2026-02-06T23:00:00Z", missing="leave_out")
    run = riskoff.replay(rules, sources=history, start="2025-09-01", profile="swing")
    assert len(run) > 50 and run.frame.index[-1].strftime("%Y-%m-%d") <= "2026-02-06"
    assert set(run.frame["action"].dropna().astype(str)) <= {"hedge", "reduce", "wait", ""}
