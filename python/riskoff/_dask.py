"""riskoff.sweep(..., client=): a sweep's grid points spread over a Dask cluster.

What travels to a worker is plain data: the ruleset as the canonical text of its import closure
(compiled again there and checked against its content hash), the history as a path every worker
reads (a manifest, with its root, or a history store) or a snapshot's JSON, the replay's options
in seconds and strings, and the indices of the points to replay. A worker keeps nothing between
tasks: each task compiles, loads and replays its share, and returns its figures as tuples of
numbers (floats travel exactly). The grid itself (axes, points, own values) is laid out here,
without replaying, so usage errors are raised before anything is sent; the shares are put back
in grid order and judged by the library, so the result is the local sweep's, byte for byte.
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


def sweep(client, ruleset, place, fields: dict, axes: list[str], tolerance: float, chunks: int | None):
    kind, where = place
    # The grid alone (no point replayed) checks the axes and the history here, on the caller.
    plan = _run_local(ruleset._core, place, fields, axes, tolerance, [])
    count = plan.point_count
    tasks = max(1, min(count, int(chunks) if chunks else _workers(client)))
    # Interleaved shares: neighbouring points (similar cost) land on different workers.
    shares = [list(range(start, count, tasks)) for start in range(tasks)]
    travelling = ("snapshot", where.to_json(True)) if kind == "snapshot" else place
    job = {"closure": ruleset.closure(), "content_hash": ruleset.content_hash, "place": travelling,
           "fields": fields, "axes": axes, "tolerance": tolerance}
    futures = client.map(_replay_share, [job] * len(shares), shares, pure=False)
    return plan.merged(client.gather(futures))


def _run_local(ruleset_core, place, fields, axes, tolerance, only, threads: int = 0):
    from ._sweep import _run_sweep

    return _run_sweep(ruleset_core, place, fields, axes, tolerance, threads, only)


def _replay_share(job: dict, points: list[int]):
    """On a worker: one share of the grid, as (header, [(point, figures), ...])."""
    from ._decide import Ruleset, Snapshot

    ruleset = _compile(job["closure"])
    if ruleset.content_hash != job["content_hash"]:
        raise RuntimeError(f"the ruleset compiled on this worker has content hash {ruleset.content_hash}, "
                           f"not the caller's {job['content_hash']}")
    kind, where = job["place"]
    if kind == "snapshot":
        where = Snapshot.from_json(where, "<sweep history>")._core
    report = _run_local(ruleset._core, (kind, where), job["fields"], job["axes"], job["tolerance"], points,
                        threads=_worker_threads())
    return report.share(points)


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
