"""riskoff's exceptions: one class per kind of error the library reports.

Every one carries ``messages`` (a list of the library's messages, each naming the file, field,
input or option at fault); ``str(error)`` joins them one per line. ``RulesetError`` also carries
``diagnostics``: a list of :class:`riskoff.Diagnostic` (code, file, line, column, message, help,
text), warnings included.

    >>> try:
    ...     riskoff.Ruleset.from_text("ruleset x\\nprofile p {")
    ... except riskoff.RulesetError as error:
    ...     print(error.diagnostics[0].code, error.diagnostics[0].line)
"""

from __future__ import annotations

__all__ = ["RiskoffError", "UsageError", "RulesetError", "SnapshotError", "DataError", "StoreError",
           "IoError", "error_class"]


class RiskoffError(Exception):
    """The base of every riskoff error. ``kind`` is the library's ErrorKind spelling."""

    kind = "error"

    def __init__(self, messages, diagnostics=()):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = list(messages)
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(self.messages))

    def __str__(self):
        return "\n".join(self.messages)

    def __reduce__(self):
        # Pickled to travel back from a Dask worker: the messages survive; diagnostics are
        # compiled objects and stay behind.
        return (type(self), (self.messages,))


class UsageError(RiskoffError, ValueError):
    """An option is wrong: an unknown profile, a malformed override, a bad argument."""

    kind = "usage"


class RulesetError(RiskoffError, ValueError):
    """The rule text does not check; ``diagnostics`` lists every problem (warnings too)."""

    kind = "ruleset"


class SnapshotError(RiskoffError, ValueError):
    """A snapshot does not parse, or does not fit the ruleset."""

    kind = "snapshot"


class DataError(RiskoffError, ValueError):
    """A data file, manifest or history does not read or does not fit."""

    kind = "data"


class StoreError(RiskoffError):
    """A store that is not a riskoff store, is damaged or newer, or a record that does not verify."""

    kind = "store"


class IoError(RiskoffError, OSError):
    """A named file cannot be read or written (also an ``OSError``)."""

    kind = "io"

    def __init__(self, messages, diagnostics=()):
        RiskoffError.__init__(self, messages, diagnostics)


_BY_KIND = {cls.kind: cls for cls in (UsageError, RulesetError, SnapshotError, DataError, StoreError, IoError)}


def error_class(kind: str) -> type:
    """The exception class for one of the library's error kinds ("usage", "ruleset", ...)."""
    return _BY_KIND.get(kind, RiskoffError)
