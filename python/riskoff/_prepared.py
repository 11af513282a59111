"""Prepared: row-at-a-time evaluation with inputs resolved to slots once."""

from __future__ import annotations

from typing import Optional, Sequence

from . import _core
from ._time import to_datetime, to_seconds


class Prepared:
    """A ruleset's inputs resolved to slots once, for evaluating a stream of rows.

    >>> rows = rules.prepare(as_of="2026-02-04T21:00:00Z", profile="swing")
    >>> vix = rows.slot("vix")                      # once: the one call that looks at names
    >>> rows.set(vix, "2026-02-04T21:00:00Z", 21.5)  # per row: by slot
    >>> rows.evaluate()
    ('reduce', False)

    Errors are the snapshot path's, raised only when they happen: UsageError for a name the
    ruleset does not declare or a slot out of range, SnapshotError for a value that is not
    finite, a time after ``as_of`` or not after the slot's last one, a required input left
    empty. One caller at a time: make one Prepared per thread.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.PreparedInputs):
        self._core = core

    def slot(self, name: str) -> int:
        """The slot (index among ``Ruleset.inputs``) of a declared input."""
        return self._core.slot(name)

    @property
    def slot_count(self) -> int:
        return self._core.slot_count

    @property
    def as_of(self):
        """The instant evaluations are as of (UTC datetime)."""
        return to_datetime(self._core.as_of)

    def set_as_of(self, as_of) -> None:
        self._core.set_as_of(to_seconds(as_of, "as_of"))

    def set(self, slot: int, time, value: float) -> None:
        """The slot holds exactly this observation (for scalars, or a series read by its last value)."""
        self._core.set(slot, time if type(time) is int else to_seconds(time), value)

    def append(self, slot: int, time, value: float) -> None:
        """One more observation at the end of the slot's series (times strictly increasing)."""
        self._core.append(slot, time if type(time) is int else to_seconds(time), value)

    def clear(self, slot: int) -> None:
        """The slot holds nothing: a missing input (unknown if optional, an error if required)."""
        self._core.clear(slot)

    def evaluate(self) -> tuple[str, bool]:
        """(action, depends_on_unknown) on what the slots hold now."""
        return self._core.evaluate()

    def evaluate_row(self, time, values: Sequence[Optional[float]]) -> tuple[str, bool]:
        """One row as its own instant: ``as_of`` moves to ``time`` and every slot holds one
        observation at ``time`` (``values`` in slot order; None leaves a slot empty); then
        (action, depends_on_unknown). One call into the library per row."""
        return self._core.evaluate_row(time if type(time) is int else to_seconds(time), list(values))

    def decide(self):
        """The same evaluation as a full riskoff.Decision (explanation, values)."""
        from ._decide import Decision
        return Decision(self._core.decide())

    def snapshot(self):
        """What the slots hold, as a riskoff.Snapshot (empty slots left out)."""
        from ._decide import Snapshot
        return Snapshot(self._core.snapshot())

    def __repr__(self):
        return f"<riskoff.Prepared {self.slot_count} slots as of {self.as_of.isoformat()}>"
