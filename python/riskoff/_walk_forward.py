"""riskoff.walk_forward(): `riskoff replay --walk-forward TRAIN/TEST` as pandas DataFrames, on this
machine or with every train window's grid points spread over a Dask cluster (``client=``)."""

from __future__ import annotations

from . import _core
from ._decide import Ruleset
from ._replay import _baselines, _check_history, _replay_fields
from ._sweep import FIGURE_COLUMNS, _axis_texts, _figure_frame, _history_place
from .errors import UsageError


def _times(seconds):
    import pandas as pd

    return pd.to_datetime(list(seconds), unit="s", utc=True)


def _prefixed(figures: tuple, prefix: str) -> dict:
    return {prefix + name: value for name, value in zip(FIGURE_COLUMNS, figures)}


class WalkForward:
    """A finished walk-forward. ``folds``: one row per fold (``fold`` from 1, the train and test
    windows' first and last steps as UTC Timestamps and their step counts, ``chosen`` as the
    CSV writes it, one column per swept parameter with the chosen value, ``objective_met``, then
    ``in_sample_*`` and ``out_of_sample_*`` for every figure). ``span``: the tested span's table,
    one row per line of the text report (out of sample stitched, in sample with hindsight, own
    values, each baseline, buy-and-hold). ``train_grid(fold)`` and ``span_grid``: every grid
    point's figures on that fold's train window and over the span, what the choices were made
    from. ``text``, ``csv`` and ``report`` (``riskoff.walk_forward/1`` as a dict) are the CLI's.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.WalkForwardReport):
        self._core = core

    windows = property(lambda self: self._core.windows)
    objective = property(lambda self: self._core.objective)
    parameters = property(lambda self: list(self._core.parameters), doc="The swept parameters, in order.")
    hindsight = property(lambda self: list(self._core.hindsight),
                         doc="The point the objective picks over the whole span, as `--set` overrides.")
    text = property(lambda self: self._core.render("text"), doc="`riskoff replay --walk-forward` as text.")
    csv = property(lambda self: self._core.render("csv"), doc="`riskoff replay --walk-forward --format csv`.")

    @property
    def report(self) -> dict:
        """Everything (``riskoff replay --walk-forward --format json``) as a dict."""
        import json

        return json.loads(self._core.render("json"))

    @property
    def folds(self):
        import pandas as pd

        folds = self._core.folds
        columns = {
            "fold": range(1, len(folds) + 1),
            "train_from": _times(f.train_from for f in folds), "train_to": _times(f.train_to for f in folds),
            "train_steps": [f.train_steps for f in folds],
            "test_from": _times(f.test_from for f in folds), "test_to": _times(f.test_to for f in folds),
            "test_steps": [f.test_steps for f in folds],
            "chosen": [" ".join(f.chosen) for f in folds],
        }
        for a, parameter in enumerate(self.parameters):
            columns[parameter] = [f.chosen[a].split("=", 1)[1] for f in folds]
        columns["objective_met"] = [f.objective_met for f in folds]
        rows = [{**_prefixed(f.in_sample, "in_sample_"), **_prefixed(f.out_of_sample, "out_of_sample_")} for f in folds]
        out = pd.DataFrame(columns)
        figures = pd.DataFrame(rows, columns=[p + n for p in ("in_sample_", "out_of_sample_") for n in FIGURE_COLUMNS])
        out = pd.concat([out, figures], axis=1)
        for column in ("fold", "train_steps", "test_steps") + tuple(c for c in out.columns if c.endswith("_changes")):
            out[column] = out[column].astype("int64")
        return out

    @property
    def span(self):
        import pandas as pd

        rows = list(self._core.span_rows)
        # As the text report: the baselines before buy-and-hold.
        rows[-1:-1] = [(name, figures) for name, _version, _file, figures in self._core.baselines]
        out = pd.DataFrame([dict(zip(FIGURE_COLUMNS, figures)) for _name, figures in rows],
                           index=pd.Index([name for name, _figures in rows], name="row"))
        out["changes"] = out["changes"].astype("int64")
        return out

    def _grid_frame(self, arrays):
        columns = {}
        points = self._core.points
        for a, parameter in enumerate(self.parameters):
            columns[parameter] = [point[a].split("=", 1)[1] for point in points]
        return _figure_frame(*arrays, columns)

    def train_grid(self, fold: int):
        """Every grid point's figures on fold ``fold``'s train window (``fold`` from 1, as ``folds``)."""
        if isinstance(fold, bool) or not isinstance(fold, int) or not 1 <= fold <= len(self._core.folds):
            raise UsageError(f"train_grid(): fold is a number from 1 to {len(self._core.folds)}, not {fold!r}")
        return self._grid_frame(self._core.train_grid(fold - 1))

    @property
    def span_grid(self):
        """Every grid point's figures over the tested span (the hindsight choice's candidates)."""
        return self._grid_frame(self._core.span_grid)

    def __len__(self):
        return len(self._core.folds)

    def __repr__(self):
        return f"<riskoff.WalkForward {self.windows}, {len(self)} folds over {', '.join(self.parameters)}>"


def walk_forward(ruleset: Ruleset, grid, windows: str, objective: str = "sharpe", sources=None, start=None, end=None,
                 profile: str | None = None, every: str | None = None, overrides=None, reference: str = "spx",
                 history=None, reduce_to: float = 0.5, hedge_ratio: float = 1.0, cost_bp: float = 0.0, root=None,
                 threads: int = 0, client=None, chunks: int | None = None, baselines=None,
                 execution: str = "next-close") -> WalkForward:
    """Walk-forward (`riskoff replay --walk-forward TRAIN/TEST --objective O --sweep ...`): the
    period cut into folds; on each train window every point of ``grid`` is replayed over a
    history cut at the window's end, the ``objective`` picks one ("sharpe", "return",
    "return-dd<=20%"), and it is replayed on the test window that follows; the test windows'
    decisions are stitched into one out-of-sample overlay beside the hindsight choice, the own
    values and buy-and-hold.

    ``windows``: "3y/1y", "18m/6m", "20d/10d". ``grid``: as :func:`riskoff.sweep`. History and the
    other keywords as :func:`riskoff.replay` (``baselines``: over the tested span, rows of
    ``span``); ``threads`` caps the library's pool (0: every core).

    ``client``: a ``dask.distributed.Client``: the grid points are spread over its workers
    (``chunks`` tasks, default one per worker), each replaying its points on every train window
    and over the span; the caller chooses and replays the test windows from their figures. The
    result is the local walk-forward's, byte for byte.

    >>> wf = riskoff.walk_forward(rules, {"vix_stress": "20..30/5"}, "3y/1y", sources="examples/sources-local.json",
    ...                           start="2017-01-01", profile="swing")
    >>> wf.folds[["fold", "test_from", "chosen", "out_of_sample_annual_return"]]
    >>> wf.span
    """
    _check_history(ruleset, start, sources, history, "walk_forward")
    if not isinstance(windows, str):
        raise UsageError(f"walk_forward(): windows is TRAIN/TEST text such as '3y/1y', not {windows!r}")
    fields = _replay_fields(start, end, every, profile, overrides, reference, None, reduce_to, hedge_ratio, cost_bp,
                            0.10, root, execution)
    fields["baselines"] = _baselines(baselines)
    walk = {"windows": windows, "objective": str(objective), "axes": _axis_texts(grid), "threads": int(threads)}
    place = _history_place(sources, history)
    if client is None:
        return WalkForward(_run_walk_forward(ruleset._core, place, fields, walk))
    from . import _dask

    return WalkForward(_dask.walk_forward(client, ruleset, place, fields, walk, chunks))


def _run_walk_forward(ruleset_core, place, fields: dict, walk: dict, only=None, given=None):
    from ._replay import _core_args

    args = _core_args(fields)
    plan = _core.WalkArgs()
    for name, value in walk.items():
        setattr(plan, name, value)
    plan.only, plan.given = only, given
    kind, where = place
    run = {"store": _core.walk_forward_store, "sources": _core.walk_forward_sources,
           "snapshot": _core.walk_forward_snapshot}[kind]
    return run(ruleset_core, where, args, plan)
