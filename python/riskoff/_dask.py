"""client= in riskoff.sweep(), walk_forward() and shuffle(): grid points and draws spread over a
Dask cluster.

What travels to a worker is plain data: the ruleset as the canonical text of its import closure
(compiled again there and checked against its content hash), the history as a path every worker
reads (a manifest, with its root, or a history store) or a snapshot's JSON, the replay's options
in seconds and strings, and the indices of the points (or draws) to make. A worker keeps nothing
between tasks: each task compiles, loads and replays its share, and returns its figures as tuples
of numbers (floats travel exactly). The plan (a sweep's grid, a walk-forward's folds and grid, a
shuffle test's real run) is laid out here without replaying a point, so usage errors are raised
before anything is sent; the shares are put back in order and judged by the library, so the
result is the local one, byte for byte:
- sweep: each task replays its points; the grid alone judges the plateau on them all;
- walk-forward: each task replays its points on every train window and over the tested span;
  the caller runs the walk-forward again with those figures given, which replays no grid point
  (only the chosen point on each test window, the own values and the baselines);
- shuffle: each task replays the run and makes its draws, each seeded from (seed, kind, draw)
  alone (docs/replay.md), so a draw is the same wherever it is made; the caller ranks them.
"""

from __future__ import annotations

import os
import tempfile

from . import _core


def _workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # a client without a scheduler view: one task per point is still right
        return 1


def _shares(client, count: int, chunks: int | None) -> list[list[int]]:
    tasks = max(1, min(count, int(chunks) if chunks else _workers(client)))
    # Interleaved shares: neighbouring points (similar cost) land on different workers.
    return [list(range(start, count, tasks)) for start in range(tasks)]


def _job(ruleset, place, fields: dict, **rest) -> dict:
    kind, where = place
    travelling = ("snapshot", where.to_json(True)) if kind == "snapshot" else place
    # Baselines travel as the ruleset does: their text, compiled again and checked on the worker.
    baselines = [(b.closure(), b.content_hash) for b in fields.get("baselines", [])]
    return {"closure": ruleset.closure(), "content_hash": ruleset.content_hash, "place": travelling,
            "fields": dict(fields, baselines=baselines), **rest}


def _spread(client, task, job: dict, shares: list[list[int]]) -> list:
    return client.gather(client.map(task, [job] * len(shares), shares, pure=False))


def sweep(client, ruleset, place, fields: dict, axes: list[str], tolerance: float, chunks: int | None):
    # The grid alone (no point replayed) checks the axes and the history here, on the caller.
    plan = _run_local(ruleset._core, place, fields, axes, tolerance, [])
    job = _job(ruleset, place, fields, axes=axes, tolerance=tolerance)
    return plan.merged(_spread(client, _replay_share, job, _shares(client, plan.point_count, chunks)))


def walk_forward(client, ruleset, place, fields: dict, walk: dict, chunks: int | None):
    from ._walk_forward import _run_walk_forward

    # The folds and the grid with no point replayed: windows, objective and axes checked here.
    plan = _run_walk_forward(ruleset._core, place, fields, walk, only=[])
    count = plan.point_count
    shares = _shares(client, count, chunks)
    done = _spread(client, _walk_share, _job(ruleset, place, fields, walk=walk), shares)
    train = [[None] * count for _ in plan.folds]
    span = [None] * count
    for points, (share_train, share_span) in zip(shares, done):
        for k, figures in enumerate(share_train):
            for p, numbers in zip(points, figures):
                train[k][p] = numbers
        for p, numbers in zip(points, share_span):
            span[p] = numbers
    return _run_walk_forward(ruleset._core, place, fields, walk, given=(train, span))


def shuffle(client, run, shuffles: int, seed: int, level: float, chunks: int | None):
    from .errors import UsageError

    if run._source is None:
        raise UsageError("shuffle(client=) needs a Replay made by riskoff.replay(): its inputs travel to the workers")
    ruleset, place, fields = run._source
    # No draw made: the options checked and the real run's figures taken here.
    plan = _core.shuffle_test(run._core, shuffles, seed, level, [])
    # The draws follow the run's own overlay: its baselines play no part.
    job = _job(ruleset, place, dict(fields, baselines=[]), shuffles=shuffles, seed=seed, level=level)
    return plan.merged(_spread(client, _shuffle_share, job, _shares(client, shuffles, chunks)))


def _run_local(ruleset_core, place, fields, axes, tolerance, only, threads: int = 0):
    from ._sweep import _run_sweep

    return _run_sweep(ruleset_core, place, fields, axes, tolerance, threads, only)


def _on_worker(job: dict):
    """The job's ruleset and baselines compiled (checked against the caller's hashes), the
    history's place and the replay's options."""
    from ._decide import Snapshot

    ruleset = _compile_checked(job["closure"], job["content_hash"])
    baselines = [_compile_checked(closure, content_hash) for closure, content_hash in job["fields"]["baselines"]]
    kind, where = job["place"]
    if kind == "snapshot":
        where = Snapshot.from_json(where, "<replay history>")._core
    return ruleset, (kind, where), dict(job["fields"], baselines=baselines)


def _compile_checked(closure: dict, content_hash: str):
    ruleset = _compile(closure)
    if ruleset.content_hash != content_hash:
        raise RuntimeError(f"the ruleset compiled on this worker has content hash {ruleset.content_hash}, "
                           f"not the caller's {content_hash}")
    return ruleset


def _replay_share(job: dict, points: list[int]):
    """On a worker: one share of a sweep's grid, as (header, [(point, figures), ...])."""
    ruleset, place, fields = _on_worker(job)
    report = _run_local(ruleset._core, place, fields, job["axes"], job["tolerance"], points,
                        threads=_worker_threads())
    return report.share(points)


def _walk_share(job: dict, points: list[int]):
    """On a worker: a walk-forward's points on every train window and over the span, as
    ([per train window: figures per point], [figures per point over the span])."""
    from ._walk_forward import _run_walk_forward

    ruleset, place, fields = _on_worker(job)
    walk = dict(job["walk"], threads=_worker_threads())
    return _run_walk_forward(ruleset._core, place, fields, walk, only=points).share(points)


def _shuffle_share(job: dict, draws: list[int]):
    """On a worker: the replay again, then its share of the draws, as [(draw, spells, entries), ...]."""
    from ._replay import _run_replay

    ruleset, place, fields = _on_worker(job)
    run = _run_replay(ruleset._core, place, fields)
    return _core.shuffle_test(run, job["shuffles"], job["seed"], job["level"], draws).share(draws)


def _compile(closure: dict):
    from ._decide import Ruleset

    (root, text), *imports = closure.items()
    if not imports:
        return Ruleset.from_text(text, root)
    # Imports resolve against the root's folder: the closure is written out as it was laid out.
    with tempfile.TemporaryDirectory(prefix="riskoff-sweep-") as folder:
        for path, content in closure.items():
            if os.path.isabs(path) or ".." in path.split("/"):
                raise RuntimeError(f"cannot lay out the ruleset's import `{path}` on a worker (outside its folder)")
            target = os.path.join(folder, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write(content)
        return Ruleset.from_file(os.path.join(folder, root))


def _worker_threads() -> int:
    # The worker's own thread count: a cluster sized its workers to their machines.
    try:
        from distributed import get_worker

        worker = get_worker()
        state = getattr(worker, "state", None)  # distributed >= 2022.11 keeps nthreads there
        return max(1, int(state.nthreads if state is not None else worker.nthreads))
    except Exception:
        return 0
