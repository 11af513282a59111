"""Reading the decision log `riskoff eval --record` writes (docs/audit.md).

>>> log = riskoff.audit.open("audit.sqlite")          # read-only unless mode="rw" / "c"
>>> log.decisions(start="2026-02-01", action="hedge")  # a DataFrame, one row per decision
>>> log.get(3)["explanation"]["because"]
>>> log.verify()["ok"]
"""

from __future__ import annotations

import json
import os

from . import _core
from ._decide import Decision, Snapshot
from ._time import to_seconds

__all__ = ["open", "AuditLog"]

_COLUMNS = ["recorded_at", "as_of", "profile", "action", "ruleset", "ruleset_version", "ruleset_hash",
            "snapshot_hash", "overrides", "engine_version", "record_hash", "tampered", "problem"]


class AuditLog:
    """An open audit store (one SQLite connection: use it from one thread; open one per thread)."""

    def __init__(self, core: _core.AuditLog):
        self._core = core

    path = property(lambda self: self._core.path)
    schema_version = property(lambda self: self._core.schema_version)

    def decisions(self, start=None, end=None, action: str | None = None, ruleset: str | None = None):
        """Recorded decisions, oldest first, as a DataFrame indexed by id. ``start``/``end`` bound
        the as-of (inclusive); ``ruleset``: NAME, NAME@VERSION or a hash prefix. Tampered records
        are listed with ``tampered`` True and their ``problem``."""
        import pandas as pd

        rows = self._core.list(None if start is None else to_seconds(start, "start"),
                               None if end is None else to_seconds(end, "end"), action or "", ruleset or "")
        frame = pd.DataFrame(rows, columns=["id"] + _COLUMNS).set_index("id")
        for column in ("recorded_at", "as_of"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="%Y-%m-%dT%H:%M:%SZ")
        frame["tampered"] = frame["tampered"].astype(bool)
        return frame

    def get(self, id: int) -> dict:
        """One decision in full; ``explanation`` is its recorded JSON explanation as a dict."""
        record = self._core.get(int(id))
        record["explanation"] = json.loads(record["explanation_json"])
        return record

    def record(self, decision: Decision, snapshot: Snapshot | str | bytes) -> int:
        """Appends a decision (made with keep=True) and the snapshot it was made from; returns its id."""
        if isinstance(snapshot, Snapshot):
            snapshot = snapshot.to_json()
        if isinstance(snapshot, bytes):
            snapshot = snapshot.decode("utf-8")
        return self._core.record(decision._core, snapshot)

    def recheck(self, id: int) -> dict:
        """Decides again from the store alone and compares (``ok``: trace and explanation identical)."""
        return self._core.recheck(int(id))

    def verify(self, anchored_head: str = "") -> dict:
        """Checks the hash chain (``ok``, ``problems``, ``head_hash``)."""
        return self._core.verify(anchored_head)

    def close(self) -> None:
        """Closes the connection (also when the object goes)."""
        self._core = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<riskoff.audit.AuditLog {self.path if self._core else '(closed)'}>"


def open(db: str | os.PathLike, mode: str = "r") -> AuditLog:  # noqa: A001 - the module's verb
    """Opens an audit store: ``mode`` "r" read-only (default), "rw" an existing store, "c" create."""
    return AuditLog(_core.AuditLog.open(os.fspath(db), mode))
