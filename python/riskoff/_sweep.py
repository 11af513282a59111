"""riskoff.sweep() and riskoff.shuffle(): the replay analytics of `riskoff replay --sweep` and
`--shuffle` as pandas DataFrames, on this machine or spread over a Dask cluster (``client=``)."""

from __future__ import annotations

from typing import Mapping

from . import _core, _html
from ._decide import Ruleset
from ._replay import Replay, _baselines, _check_history, _core_args, _history_place, _replay_fields
from .errors import UsageError

# The columns of `riskoff replay --sweep --format csv` after the swept parameters' own columns.
FIGURE_COLUMNS = ["total_return", "annual_return", "volatility", "max_drawdown", "sharpe", "off_wait", "changes",
                  "turnover"]


def _figure_frame(numbers, changes, columns: dict, index=None):
    # numbers: n x 7 (changes apart), in FIGURE_COLUMNS' order without `changes`.
    import pandas as pd

    for k, name in enumerate(FIGURE_COLUMNS):
        if name == "changes":
            columns[name] = changes
        else:
            columns[name] = numbers[:, k if k < 6 else k - 1]
    return pd.DataFrame(columns, index=index)


class Plateau:
    """The plateau verdict of a sweep: whether the ruleset's own values sit on a plateau.

    ``verdict``: "plateau" (every neighbour's annual return within ``tolerance`` of the own
    point's), "edge" (not) or "off grid" (an own value is not on the grid, or it has no
    neighbour); ``own_point``: the own point's row in ``Sweep.frame`` (None off the grid);
    ``neighbours``: the rows one grid step from it on one axis; ``text``: the verdict in one
    sentence, as `riskoff replay --sweep` prints it.
    """

    __slots__ = ("verdict", "tolerance", "own_point", "neighbours", "text", "own_values")

    def __init__(self, report: _core.SweepReport):
        self.verdict = report.verdict
        self.tolerance = report.plateau_tolerance
        self.own_point = report.own_point
        self.neighbours = list(report.neighbours)
        self.text = report.verdict_text
        self.own_values = {parameter: own for parameter, _values, own, _index in report.axes}

    @property
    def is_plateau(self) -> bool:
        return self.verdict == "plateau"

    def __repr__(self):
        return f"<riskoff.Plateau {self.verdict}: {self.text}>"


class Sweep:
    """A finished sweep. ``frame``: one row per grid point in grid order (the last parameter
    fastest), a column per swept parameter (its value as ``--set`` takes it, a string), then
    ``own`` (the ruleset's own values) and the figures: the columns of
    ``riskoff replay --sweep ... --format csv``. ``plateau``: the verdict (:class:`Plateau`).

    ``text``, ``csv``, ``report`` (the ``riskoff.sweep/1`` JSON as a dict) and ``svg`` (the
    heatmap of the annual return; empty unless exactly two parameters are swept) are the CLI's.
    """

    __slots__ = ("_core", "_frame")

    def __init__(self, core: _core.SweepReport):
        self._core = core
        self._frame = None

    @property
    def frame(self):
        if self._frame is None:
            at = self._core.at
            columns = {}
            for a, (parameter, values, _own, _index) in enumerate(self._core.axes):
                columns[parameter] = [values[k] for k in at[:, a]]
            own_point = self._core.own_point
            columns["own"] = [p == own_point for p in range(self._core.point_count)]
            self._frame = _figure_frame(*self._core.figures, columns)
        return self._frame

    plateau = property(lambda self: Plateau(self._core), doc="The plateau verdict (Plateau).")
    baselines = property(lambda self: _baseline_frame(self._core.baselines),
                         doc="The baselines' figures over the points' steps: one row per baseline (`--baseline`).")
    parameters = property(lambda self: [axis[0] for axis in self._core.axes], doc="The swept parameters, in order.")
    steps = property(lambda self: self._core.header.steps, doc="Steps in each point's replay.")
    text = property(lambda self: self._core.render("text"), doc="`riskoff replay --sweep` as text.")
    csv = property(lambda self: self._core.render("csv"), doc="`riskoff replay --sweep --format csv`.")
    svg = property(lambda self: self._core.render("svg"), doc="The heatmap `--chart` writes (two parameters).")

    @property
    def report(self) -> dict:
        """Everything (``riskoff replay --sweep --format json``) as a dict."""
        import json

        return json.loads(self._core.render("json"))

    def __len__(self):
        return self._core.point_count

    def __repr__(self):
        return f"<riskoff.Sweep {len(self)} points over {', '.join(self.parameters)}: {self._core.verdict}>"

    def _repr_html_(self):
        return _html.sweep_html(self.svg, self.frame, self.plateau.text)


def _baseline_frame(baselines):
    # One row per baseline: ruleset, version, file, then the figures, as the reports list them.
    import numpy as np

    numbers = np.array([[f for k, f in enumerate(figures) if k != 6] for _r, _v, _f, figures in baselines],
                       dtype="float64").reshape(len(baselines), 7)
    changes = np.array([figures[6] for _r, _v, _f, figures in baselines], dtype="int64")
    return _figure_frame(numbers, changes, {"ruleset": [b[0] for b in baselines], "version": [b[1] for b in baselines],
                                            "file": [b[2] for b in baselines]})


def _axis_texts(grid) -> list[str]:
    # {"yield_jump": ["10bp", "15bp"], "vix_stress": "20..30/5"} or ["yield_jump=10bp,15bp", ...]
    if isinstance(grid, str):
        return [grid]
    if isinstance(grid, Mapping):
        texts = []
        for name, values in grid.items():
            if isinstance(values, str):
                texts.append(f"{name}={values}")
            else:
                values = list(values)
                if not values:
                    raise UsageError(f"sweep(): grid[{name!r}] has no value")
                texts.append(f"{name}=" + ",".join(str(v) for v in values))
        return texts
    return [str(text) for text in grid]


def sweep(ruleset: Ruleset, grid, sources=None, start=None, end=None, profile: str | None = None,
          every: str | None = None, overrides=None, reference: str = "spx", history=None, reduce_to: float = 0.5,
          hedge_ratio: float = 1.0, cost_bp: float = 0.0, root=None, plateau_pp: float = 1.0, threads: int = 0,
          client=None, chunks: int | None = None, baselines=None,
          execution: str = "next-close") -> Sweep:
    """Replays ``ruleset`` at every point of ``grid`` (`riskoff replay --sweep`), each point's
    values given as ``--set`` overrides, and judges whether the ruleset's own values sit on a
    plateau (every neighbour's annual return within ``plateau_pp`` percentage points).

    ``grid``: ``{"yield_jump": ["10bp", "15bp", "20bp"], "dollar_jump": "0.5%..1.5%/0.5%"}`` (a
    list of values, or ``FROM..TO/STEP`` or ``A,B,C`` as ``--sweep`` takes them, in the unit
    ``--set`` takes); at most 10,000 points. History and the other keywords as
    :func:`riskoff.replay` (``baselines``: over the points' steps, in ``Sweep.baselines``);
    ``overrides`` hold at every point. The points run in parallel on
    ``threads`` threads (0: every core) with the GIL released.

    ``client``: a ``dask.distributed.Client``: the points are spread over its workers instead
    (``chunks`` tasks, default one per worker); the ruleset travels as text, the history as a
    path every worker reads (``sources=`` a manifest, ``history=`` a store) or as the snapshot's
    JSON. The result is the local sweep's, byte for byte.

    Errors (UsageError: an unknown parameter, a malformed range, too many points; DataError, ...)
    carry the library's messages.

    >>> grid = riskoff.sweep(rules, {"yield_jump": "10bp..20bp/5bp", "dollar_jump": ["0.5%", "1%"]},
    ...                      sources="examples/sources-local.json", start="2022-01-01", end="2023-12-31",
    ...                      profile="swing")
    >>> grid.frame.pivot(index="yield_jump", columns="dollar_jump", values="annual_return")
    >>> grid.plateau.verdict
    'plateau'
    """
    _check_history(ruleset, start, sources, history, "sweep")
    fields = _replay_fields(start, end, every, profile, overrides, reference, None, reduce_to, hedge_ratio, cost_bp,
                            0.10, root, execution)
    fields["baselines"] = _baselines(baselines)
    axes = _axis_texts(grid)
    tolerance = float(plateau_pp) / 100.0
    place = _history_place(sources, history)
    if client is None:
        return Sweep(_run_sweep(ruleset._core, place, fields, axes, tolerance, int(threads), None))
    from . import _dask

    return Sweep(_dask.sweep(client, ruleset, place, fields, axes, tolerance, chunks))


def _run_sweep(ruleset_core, place, fields: dict, axes: list[str], tolerance: float, threads: int, only):
    args = _core_args(fields)
    grid = _core.SweepArgs()
    grid.axes, grid.plateau_tolerance, grid.threads, grid.only = axes, tolerance, threads, only
    kind, where = place
    run = {"store": _core.sweep_store, "sources": _core.sweep_sources, "snapshot": _core.sweep_snapshot}[kind]
    return run(ruleset_core, where, args, grid)


class Shuffle:
    """A finished shuffle test (`riskoff replay --shuffle N --seed S`): where the replay's overlay
    ranks among N draws of each kind of chance with the same exposure budget.

    ``ranks``: a DataFrame, one row per (kind, figure) for total_return, sharpe and max_drawdown:
    the real value, its percentile among the draws (a tie counts half), the draws' median and
    5%/95% quantiles, ``significant`` (percentile at or above ``level``) and the verdict in words.
    ``draws``: one row per draw (``kind``, ``draw`` from 1, then the figures), as
    ``--format csv`` without its first row; ``real``: that first row, the replay's own figures.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.ShuffleReport):
        self._core = core

    shuffles = property(lambda self: self._core.shuffles)
    seed = property(lambda self: self._core.seed)
    level = property(lambda self: self._core.level)
    kinds = property(lambda self: [name for name, _ranks in self._core.kinds], doc='"spells shuffled", "random entries".')
    real = property(lambda self: dict(zip(FIGURE_COLUMNS, self._core.real)), doc="The replay's own figures.")
    text = property(lambda self: self._core.render("text"), doc="`riskoff replay --shuffle` as text.")
    csv = property(lambda self: self._core.render("csv"), doc="`riskoff replay --shuffle --format csv`.")

    @property
    def ranks(self):
        import pandas as pd

        rows = []
        for kind, ranks in self._core.kinds:
            for figure, (real, percentile, median, low, high, significant, verdict) in ranks.items():
                rows.append({"kind": kind, "figure": figure, "real": real, "percentile": percentile, "median": median,
                             "low": low, "high": high, "significant": significant, "verdict": verdict})
        return pd.DataFrame(rows)

    @property
    def draws(self):
        import pandas as pd

        frames = []
        for k, name in enumerate(self.kinds):
            numbers, changes = self._core.draws(k)
            frames.append(_figure_frame(numbers, changes, {"kind": [name] * len(changes),
                                                           "draw": range(1, len(changes) + 1)}))
        out = pd.concat(frames, ignore_index=True)
        out["draw"] = out["draw"].astype("int64")
        return out

    @property
    def report(self) -> dict:
        """Everything (``riskoff replay --shuffle --format json``) as a dict."""
        import json

        return json.loads(self._core.render("json"))

    def __repr__(self):
        return f"<riskoff.Shuffle {self.shuffles} draws of {len(self.kinds)} kinds, seed {self.seed}>"

    def _repr_html_(self):
        return _html.shuffle_html(self.ranks)


def shuffle(replay_or_ruleset, shuffles: int = 1000, seed: int = 1, level: float = 0.95, client=None,
            chunks: int | None = None, **replay_keywords) -> Shuffle:
    """The shuffle test of a replay (`riskoff replay --shuffle N --seed S`): its overlay ranked
    among ``shuffles`` draws of its own spells shuffled and as many of random entries. The same
    replay, N and seed give the same draws everywhere. The GIL is released while it runs.

    ``replay_or_ruleset``: a :class:`riskoff.Replay`, or a Ruleset replayed first with
    ``replay_keywords`` (those of :func:`riskoff.replay`).

    ``client``: a ``dask.distributed.Client``: the draws are spread over its workers (``chunks``
    tasks, default one per worker), each replaying the run from its inputs (a Replay made by
    :func:`riskoff.replay`) and making its draws; each draw is seeded from (seed, kind, draw)
    alone, so the result is the local test's, byte for byte.

    >>> test = riskoff.shuffle(rules, shuffles=1000, seed=7, sources="examples/sources-local.json",
    ...                        start="2017-01-01", profile="swing")
    >>> test.ranks[["kind", "figure", "percentile", "significant"]]
    """
    from ._replay import replay

    if isinstance(replay_or_ruleset, Ruleset):
        run = replay(replay_or_ruleset, **replay_keywords)
    elif isinstance(replay_or_ruleset, Replay):
        if replay_keywords:
            raise UsageError("shuffle() of a Replay takes no replay keywords: " + ", ".join(sorted(replay_keywords)))
        run = replay_or_ruleset
    else:
        raise UsageError(f"shuffle() needs a riskoff.Replay or a riskoff.Ruleset, not {type(replay_or_ruleset).__name__}")
    if isinstance(shuffles, bool) or not isinstance(shuffles, int) or shuffles < 0:
        raise UsageError(f"shuffle(): shuffles must be a whole number of draws, not {shuffles!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"shuffle(): seed must be a whole number from 0, not {seed!r}")
    if client is not None:
        from . import _dask

        return Shuffle(_dask.shuffle(client, run, shuffles, seed, float(level), chunks))
    return Shuffle(_core.shuffle_test(run._core, shuffles, seed, float(level)))
