"""Ruleset, Snapshot and Decision: one decision through the library's decide()."""

from __future__ import annotations

import json
import math
import os
from typing import Any, Iterable, Mapping

from . import _core, _html
from ._time import to_datetime, to_seconds, parse_iso
from .errors import SnapshotError, UsageError

Diagnostic = _core.Diagnostic
InputInfo = _core.InputInfo
ParameterInfo = _core.ParameterInfo


def _override_list(overrides) -> list[str]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{name}={value}" for name, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(item) for item in overrides]


class Ruleset:
    """A checked, compiled ruleset. Immutable: share it across threads.

    >>> rules = riskoff.Ruleset.from_file("rulesets/riskoff.rules")
    >>> rules.profiles
    ['swing', ...]
    >>> rules.decide(riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), profile="swing").action
    'hedge'

    A ruleset that does not check raises :class:`riskoff.RulesetError`, whose ``diagnostics``
    list every problem; warnings of one that checks are in ``diagnostics`` here.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Ruleset):
        self._core = core

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Ruleset":
        """Reads a rule file and its imports (raises IoError when the file cannot be read)."""
        return cls(_core.Ruleset.load(os.fspath(path)))

    @classmethod
    def from_text(cls, text: str, name: str = "<memory>", directory: str | os.PathLike = ".") -> "Ruleset":
        """Compiles rule text; ``name`` labels diagnostics, imports resolve against ``directory``."""
        return cls(_core.Ruleset.compile(text, name, os.fspath(directory)))

    name = property(lambda self: self._core.name, doc="The ruleset's name (its header).")
    version = property(lambda self: self._core.version, doc="The ruleset's version (its header).")
    content_hash = property(lambda self: self._core.content_hash,
                            doc="sha256 of the canonical text of the ruleset and its imports.")
    profiles = property(lambda self: list(self._core.profiles), doc="Profile names, the default first.")
    inputs = property(lambda self: list(self._core.inputs), doc="The inputs it reads (InputInfo).")
    parameters = property(lambda self: list(self._core.parameters), doc="Parameters overrides may set.")
    diagnostics = property(lambda self: list(self._core.diagnostics), doc="Warnings left by compilation.")

    def closure(self) -> dict[str, str]:
        """The canonical text of every file of the import closure, by path, the root first."""
        return dict(self._core.closure())

    def decide(self, snapshot: "Snapshot", profile: str | None = None, overrides=None,
               keep: bool = True) -> "Decision":
        """Decides on ``snapshot`` (the GIL is released while it runs).

        ``profile``: a name (default: the first); ``overrides``: ``{"yield_jump": "20bp"}`` or
        ``["yield_jump=20bp"]``; ``keep=False`` keeps the action only (no explanation, no
        values), for scans. Raises UsageError (profile, override) or SnapshotError (does not fit).
        """
        if not isinstance(snapshot, Snapshot):
            raise UsageError(f"decide() needs a riskoff.Snapshot, not {type(snapshot).__name__}")
        return Decision(self._core.decide(snapshot._core, profile or "", _override_list(overrides), keep))

    def prepare(self, as_of, profile: str | None = None, overrides=None, keep: bool = True) -> "Prepared":
        """Resolves the profile, the overrides and every input slot once, for evaluating many
        rows (riskoff.Prepared). ``keep`` matters to Prepared.decide() only."""
        from ._prepared import Prepared
        return Prepared(_core.PreparedInputs.prepare(self._core, to_seconds(as_of, "as_of"), profile or "",
                                                     _override_list(overrides), keep))

    def outline(self) -> dict[str, Any]:
        """Inputs, parameters and profiles as plain data (what the notebook view shows)."""
        return {
            "name": self.name, "version": self.version, "content_hash": self.content_hash,
            "profiles": self.profiles,
            "inputs": [{"name": i.name, "unit": i.unit, "series": i.is_series, "optional": i.optional,
                        "max_age_hours": i.max_age_hours} for i in self.inputs],
            "parameters": [{"name": p.name, "kind": p.kind, "unit": p.unit, "default": p.default}
                           for p in self.parameters],
        }

    def __repr__(self):
        return f"<riskoff.Ruleset {self.name} {self.version} ({len(self.inputs)} inputs, profiles {self.profiles})>"

    def _repr_html_(self):
        return _html.ruleset_html(self.outline())


class Snapshot:
    """What the market looked like at one instant: inputs by name, each a series of observations.

    >>> snap = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    >>> snap = riskoff.Snapshot.from_sources("examples/sources-local.json", "2026-02-04T21:00:00Z")
    >>> snap = riskoff.Snapshot.from_frame({"vix": vix_series}, units={"vix": "index"})
    """

    __slots__ = ("_core", "skipped")

    def __init__(self, core: _core.Snapshot, skipped: Iterable[str] = ()):
        self._core = core
        self.skipped = list(skipped)  # from_sources: inputs left out, each with why

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Snapshot":
        """Reads a ``riskoff.snapshot/1`` file (SnapshotError names the field; IoError if unreadable)."""
        return cls(_core.Snapshot.load(os.fspath(path)))

    @classmethod
    def from_json(cls, text: str, name: str = "<memory>") -> "Snapshot":
        """Parses ``riskoff.snapshot/1`` JSON; ``name`` labels the errors."""
        return cls(_core.Snapshot.from_json(text, name))

    @classmethod
    def from_sources(cls, manifest: str | os.PathLike, as_of=None, ruleset: Ruleset | None = None,
                     missing: str = "fail", root: str | os.PathLike | None = None) -> "Snapshot":
        """Builds a snapshot from a sources manifest as of an instant (default: now), keeping only
        what was known then. With ``ruleset``, only the lookback it needs. ``missing="leave_out"``
        leaves unreadable inputs out (listed in ``skipped``); ``root`` confines the manifest's files.
        Raises DataError naming every input that did not read.
        """
        if missing not in ("fail", "leave_out"):
            raise UsageError(f"missing `{missing}`: expected fail or leave_out")
        seconds = None if as_of is None else to_seconds(as_of, "as_of")
        core, skipped = _core.Snapshot.from_sources(os.fspath(manifest), seconds,
                                                    ruleset._core if ruleset is not None else None,
                                                    missing == "leave_out", os.fspath(root) if root else "")
        return cls(core, skipped)

    @classmethod
    def from_frame(cls, frames, units=None, as_of=None, ruleset: Ruleset | None = None) -> "Snapshot":
        """A snapshot from pandas data: ``frames`` maps each input to a Series (or a one-column
        DataFrame) indexed by time, or is one DataFrame with a column per input.

        ``units``: a unit per input (``{"us10y": "percent"}``) or one for all; with ``ruleset``
        the units (and which inputs are scalars) come from its declarations. ``as_of``: default
        the latest observation. Times without a zone are UTC; NaN observations are dropped.
        """
        import numpy as np
        import pandas as pd

        if isinstance(frames, pd.DataFrame):
            frames = {name: frames[name] for name in frames.columns}
        declared = {i.name: i for i in ruleset.inputs} if ruleset is not None else {}
        columns = {}
        latest = None
        for name, data in frames.items():
            if isinstance(data, pd.DataFrame):
                if "value" in data.columns:
                    data = data["value"]
                elif data.shape[1] == 1:
                    data = data.iloc[:, 0]
                else:
                    raise SnapshotError(f"input `{name}`: a DataFrame needs one column or a `value` column, "
                                        f"not {list(data.columns)}")
            if not isinstance(data, pd.Series):
                raise SnapshotError(f"input `{name}`: expected a pandas Series or DataFrame, not {type(data).__name__}")
            data = data.dropna()
            times = _index_seconds(data.index, name)
            values = np.ascontiguousarray(data.to_numpy(dtype="float64", na_value=np.nan))
            columns[name] = (times, values)
            if len(times):
                latest = times[-1] if latest is None else max(latest, int(times[-1]))
        as_of_seconds = to_seconds(as_of, "as_of") if as_of is not None else latest
        if as_of_seconds is None:
            raise SnapshotError("from_frame: no observation and no as_of")
        core = _core.Snapshot(int(as_of_seconds))
        for name, (times, values) in columns.items():
            info = declared.get(name)
            if isinstance(units, Mapping):
                unit = units.get(name, info.unit if info else None)
            else:
                unit = units or (info.unit if info else None)
            if unit is None:
                raise UsageError(f"input `{name}`: no unit given (units={{'{name}': 'percent'}}) and no ruleset declares it")
            if info is not None and not info.is_series:
                if len(times) == 0:
                    raise SnapshotError(f"input `{name}`: a scalar needs one observation, got none")
                core.add_scalar(name, unit, int(times[-1]), float(values[-1]))
            else:
                core.add_series(name, unit, times, values)
        return cls(core)

    as_of = property(lambda self: to_datetime(self._core.as_of), doc="The instant (UTC datetime).")
    input_count = property(lambda self: self._core.input_count)

    def add_series(self, name: str, unit: str, times, values) -> None:
        """Adds an input: times (seconds or datetimes, strictly ascending, none after as_of), values."""
        import numpy as np
        seconds = np.asarray([to_seconds(t) for t in times], dtype="int64") \
            if not (isinstance(times, np.ndarray) and times.dtype == np.int64) else times
        self._core.add_series(name, unit, seconds, np.asarray(values, dtype="float64"))

    def to_json(self, compact: bool = False) -> str:
        """The canonical ``riskoff.snapshot/1`` JSON (byte-identical for equal snapshots)."""
        return self._core.to_json(compact)

    def __repr__(self):
        return f"<riskoff.Snapshot as of {to_datetime(self._core.as_of).isoformat()} ({self.input_count} inputs)>"


def _index_seconds(index, name):
    import numpy as np
    import pandas as pd

    if not isinstance(index, pd.DatetimeIndex):
        try:
            index = pd.DatetimeIndex(index)
        except (TypeError, ValueError) as error:
            raise SnapshotError(f"input `{name}`: the index must hold times: {error}") from None
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    nanos = np.asarray(index.values.astype("datetime64[ns]").astype("int64"))
    if np.any(nanos % 1_000_000_000):
        raise SnapshotError(f"input `{name}`: a time has a fraction of a second; riskoff times are whole seconds")
    return np.ascontiguousarray(nanos // 1_000_000_000, dtype="int64")


class Decision:
    """One decision: its action and, unless decided with ``keep=False``, its explanation.

    >>> d = rules.decide(snap, profile="swing")
    >>> d.action, d.as_of
    ('hedge', datetime.datetime(2026, 2, 4, 21, 0, tzinfo=datetime.timezone.utc))
    >>> d.explanation["because"]          # the JSON rendering (riskoff.explanation/1) as a dict
    >>> print(d.text)                     # what `riskoff eval` prints
    >>> d.values["us10y_5d"]              # every input, let, signal and group by name
    """

    __slots__ = ("_core", "_explanation")

    def __init__(self, core: _core.Decision):
        self._core = core
        self._explanation = None

    action = property(lambda self: self._core.action, doc='"hedge", "reduce" or "wait".')
    profile = property(lambda self: self._core.profile)
    as_of = property(lambda self: parse_iso(self._core.as_of), doc="The snapshot's instant (UTC datetime).")
    depends_on_unknown = property(lambda self: self._core.depends_on_unknown,
                                  doc="A clause was skipped because its condition was unknown.")

    @property
    def explanation(self) -> dict:
        """The JSON rendering (``riskoff.explanation/1``) as a dict, built once."""
        if self._explanation is None:
            self._explanation = json.loads(self._core.render("json"))
        return self._explanation

    text = property(lambda self: self._core.render("text"), doc="The explanation as `riskoff eval` prints it.")
    markdown = property(lambda self: self._core.render("markdown"), doc="The explanation as markdown.")
    json = property(lambda self: self._core.render("json"), doc="The explanation as JSON text (byte-identical to the CLI's).")

    @property
    def values(self) -> dict:
        """Every input, let, signal and group by name: a float for numbers (NaN when unknown),
        True / False / None (unknown) for conditions."""
        out = {}
        for name, _kind, is_condition, truth, number, _upper, _unit in self._core.values():
            out[name] = ({"true": True, "false": False}.get(truth) if is_condition else number)
        return out

    def values_frame(self):
        """The node values as a DataFrame indexed by name: kind, is_condition, truth, value, upper, unit."""
        import pandas as pd
        rows = self._core.values()
        frame = pd.DataFrame(rows, columns=["name", "kind", "is_condition", "truth", "value", "upper", "unit"])
        frame["truth"] = frame["truth"].where(frame["is_condition"], None)
        for column in ("value", "upper"):
            frame.loc[frame["is_condition"], column] = math.nan
        return frame.set_index("name")

    def __repr__(self):
        return f"<riskoff.Decision {self.action} ({self.profile}) as of {self._core.as_of}>"

    def _repr_html_(self):
        return _html.decision_html(self.explanation)
