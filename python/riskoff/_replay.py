"""riskoff.replay(): a ruleset at every step of a past period, as a pandas DataFrame."""

from __future__ import annotations

import json
import os

from . import _core, _html
from ._decide import Ruleset, Snapshot, _override_list
from ._time import to_seconds
from .errors import UsageError

# The columns of `riskoff replay --format csv`, before the figures (time is the index here).
STEP_COLUMNS = ["action", "depends_on_unknown", "regime", "groups_on", "reference", "exposure", "overlay"]


class Replay:
    """A finished replay. ``frame``: one row per step (UTC DatetimeIndex ``time``; the columns of
    ``riskoff replay --format csv``: action, depends_on_unknown, regime, groups_on, reference,
    exposure, overlay, then the figures). ``summary``: the JSON report's summary as a dict.

    ``exposure``, ``overlay_value`` and ``hold_value`` are read-only numpy views of the library's
    own arrays (no copy). ``report`` is the whole ``riskoff.replay/1`` JSON as a dict; ``text``,
    ``csv`` and ``svg`` are the CLI's renderings.
    """

    __slots__ = ("_core", "_frame", "_report", "_source")

    def __init__(self, core: _core.Backtest, source=None):
        self._core = core
        self._frame = None
        self._report = None
        # (ruleset, history place, options as plain data): what replays it again elsewhere.
        self._source = source

    @property
    def frame(self):
        if self._frame is None:
            self._frame = self._make_frame()
        return self._frame

    def _make_frame(self):
        import numpy as np
        import pandas as pd

        core = self._core
        index = pd.DatetimeIndex(core.times.astype("datetime64[s]").astype("datetime64[ns]"), name="time").tz_localize("UTC")
        columns = {
            "action": pd.Categorical(core.actions),
            "depends_on_unknown": core.depends_on_unknown,
            "regime": core.regimes,
            "groups_on": core.groups_on,
            "reference": core.reference,
            "exposure": core.exposure,
            "overlay": core.overlay_value * 100.0,  # as the CSV: 100 at the first step
        }
        figures = core.figures
        for k, name in enumerate(core.figure_names):
            columns[name] = figures[:, k]
        return pd.DataFrame(columns, index=index, copy=False)

    exposure = property(lambda self: self._core.exposure, doc="Exposure to the reference per step (numpy view).")
    overlay_value = property(lambda self: self._core.overlay_value, doc="The overlay's value, 1 at the start.")
    hold_value = property(lambda self: self._core.hold_value, doc="Buy-and-hold's value, 1 at the start.")
    figure_units = property(lambda self: dict(zip(self._core.figure_names, self._core.figure_units)))

    @property
    def report(self) -> dict:
        """Everything (``riskoff replay --format json``) as a dict."""
        if self._report is None:
            self._report = json.loads(self._core.render("json"))
        return self._report

    @property
    def summary(self) -> dict:
        """Steps, steps per action, longest spells, ... (the report's ``summary``)."""
        return self.report["summary"]

    text = property(lambda self: self._core.render("text"), doc="`riskoff replay` as text.")
    csv = property(lambda self: self._core.render("csv"), doc="`riskoff replay --format csv`.")
    svg = property(lambda self: self._core.render("svg"), doc="The chart `riskoff replay --chart` writes.")

    def plot(self, ax=None):
        """The reference and the overlay on a log scale with matplotlib (returns the axes)."""
        import matplotlib.pyplot as plt

        frame = self.frame
        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        ax.plot(frame.index, frame["reference"], label="reference", color="#555")
        ax.plot(frame.index, frame["overlay"], label="overlay", color="#1f77b4")
        ax.set_yscale("log")
        ax.legend()
        return ax

    def shuffle(self, shuffles: int = 1000, seed: int = 1, level: float = 0.95, client=None, chunks: int | None = None):
        """The shuffle test of this replay (:func:`riskoff.shuffle`): `riskoff replay --shuffle N --seed S`."""
        from ._sweep import shuffle

        return shuffle(self, shuffles=shuffles, seed=seed, level=level, client=client, chunks=chunks)

    def __len__(self):
        return len(self._core.times)

    def __repr__(self):
        return f"<riskoff.Replay {len(self)} steps>"

    def _repr_html_(self):
        return _html.replay_html(self.svg, self.summary)


def replay(ruleset: Ruleset, sources=None, start=None, end=None, profile: str | None = None, every: str | None = None,
           overrides=None, reference: str = "spx", figures=None, history=None, reduce_to: float = 0.5,
           hedge_ratio: float = 1.0, cost_bp: float = 0.0, episode_threshold: float = 0.10, root=None,
           baselines=None, execution: str = "next-close") -> Replay:
    """Replays ``ruleset`` from ``start`` to ``end`` (inclusive; default the end of the data).

    History comes from one of: ``sources`` (a manifest path, or a Snapshot whose inputs are
    whole series) or ``history`` (a history store, ``riskoff data import``). ``every``: "1d",
    "4h", ... (default: each close of the reference). ``baselines``: Rulesets or rule files
    replayed over the same steps (`--baseline`, rulesets/baselines/). ``execution``:
    "next-close" (a decision is traded at the next step's close) or "next-open" (at the next
    step's open; needs a reference with opens, as a Yahoo CSV's). The rest are `riskoff
    replay`'s options.
    The GIL is released while it runs.

    >>> run = riskoff.replay(rules, sources="examples/sources-local.json", start="2017-01-01", profile="swing")
    >>> run.frame["action"].value_counts()
    """
    _check_history(ruleset, start, sources, history, "replay")
    fields = _replay_fields(start, end, every, profile, overrides, reference, figures, reduce_to, hedge_ratio, cost_bp,
                            episode_threshold, root, execution)
    fields["baselines"] = _baselines(baselines)
    place = _history_place(sources, history)
    return Replay(_run_replay(ruleset._core, place, fields), (ruleset, place, fields))


def _history_place(sources, history) -> tuple[str, object]:
    # Where the history is, as plain data: ("store", path), ("sources", path) or ("snapshot", core).
    if history is not None:
        return ("store", os.path.abspath(os.fspath(history)))
    if isinstance(sources, Snapshot):
        return ("snapshot", sources._core)
    return ("sources", os.path.abspath(os.fspath(sources)))


def _run_replay(ruleset_core, place, fields: dict) -> _core.Backtest:
    kind, where = place
    run = {"store": _core.Backtest.from_store, "sources": _core.Backtest.from_sources,
           "snapshot": _core.Backtest.from_snapshot}[kind]
    return run(ruleset_core, where, _core_args(fields))


def _check_history(ruleset, start, sources, history, call: str) -> None:
    if not isinstance(ruleset, Ruleset):
        raise UsageError(f"{call}() needs a riskoff.Ruleset, not {type(ruleset).__name__}")
    if start is None:
        raise UsageError(f"{call}() needs start= (the first day, such as 2017-01-01)")
    if (sources is None) == (history is None):
        raise UsageError(f"{call}() needs one of sources= (a manifest or a Snapshot) or history= (a history store)")


_EXECUTIONS = ("next-close", "next-open")


def _replay_fields(start, end, every, profile, overrides, reference, figures, reduce_to, hedge_ratio, cost_bp,
                   episode_threshold, root, execution) -> dict:
    # Plain data (times in seconds, paths absolute), so that it can travel to other processes.
    if execution not in _EXECUTIONS:
        raise UsageError(f"execution= is one of {', '.join(_EXECUTIONS)} (`riskoff replay --execution`), "
                         f"not {execution!r}")
    return {
        "from_": to_seconds(start, "start"),
        "to": None if end is None else _end_seconds(end),
        "every": every or "",
        "profile": profile or "",
        "overrides": _override_list(overrides),
        "reference": reference,
        "figures": [figures] if isinstance(figures, str) else list(figures or []),
        "reduce_to": float(reduce_to), "hedge_ratio": float(hedge_ratio), "cost_bp": float(cost_bp),
        "episode_threshold": float(episode_threshold),
        "root": os.path.abspath(os.fspath(root)) if root else "",
        "execution": execution,
    }


def _core_args(fields: dict) -> _core.ReplayArgs:
    args = _core.ReplayArgs()
    for name, value in fields.items():
        setattr(args, name, [ruleset._core for ruleset in value] if name == "baselines" else value)
    return args


def _baselines(baselines) -> list[Ruleset]:
    # `riskoff replay --baseline FILE` (repeatable): Rulesets or rule files.
    if baselines is None:
        return []
    if isinstance(baselines, (str, os.PathLike, Ruleset)):
        baselines = [baselines]
    return [b if isinstance(b, Ruleset) else Ruleset.from_file(b) for b in baselines]


def _end_seconds(end) -> int:
    # A day given alone ends at its last second, as `riskoff replay --to 2026-02-06` does.
    import datetime as dt
    if (isinstance(end, str) and "T" not in end) or (isinstance(end, dt.date) and not isinstance(end, dt.datetime)):
        return to_seconds(end, "end") + 86399
    return to_seconds(end, "end")
