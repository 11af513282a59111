"""Instants as riskoff sees them: whole seconds since 1970-01-01 UTC."""

from __future__ import annotations

import datetime as _dt

from . import _core
from .errors import UsageError

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def to_seconds(value, what: str = "time") -> int:
    """Seconds since 1970 (UTC) from an int, "2026-02-04" / "2026-02-04T21:00:00Z", a date,
    a datetime, a pandas Timestamp or a numpy datetime64.

    A datetime without a zone is read as UTC, as the library reads "2026-02-04" (midnight UTC);
    one with a zone is converted. Fractions of a second are refused, not rounded.
    """
    if isinstance(value, bool):
        raise UsageError(f"{what} `{value}` is not a time")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        seconds = _core.parse_time(value)
        if seconds is None:
            raise UsageError(f"{what} `{value}` is not a UTC time such as 2026-02-04 or 2026-02-04T21:00:00Z")
        return seconds
    if type(value).__name__ == "datetime64":  # numpy, without importing it
        import numpy as np
        value = value.astype("datetime64[us]").item()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        if value.nanosecond:
            raise UsageError(f"{what} `{value}` has a fraction of a second; riskoff times are whole seconds")
        value = value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _EPOCH
        if delta.microseconds:
            raise UsageError(f"{what} `{value.isoformat()}` has a fraction of a second; riskoff times are whole seconds")
        return delta.days * 86400 + delta.seconds
    if isinstance(value, _dt.date):
        return (value - _EPOCH.date()).days * 86400
    raise UsageError(f"{what} `{value!r}` is not a time: give a date, a datetime, a string such as 2026-02-04 or seconds")


def to_datetime(seconds: int) -> _dt.datetime:
    """The UTC datetime of seconds since 1970."""
    return _EPOCH + _dt.timedelta(seconds=seconds)


def parse_iso(text: str) -> _dt.datetime:
    """A datetime from the library's "YYYY-MM-DDTHH:MM:SSZ"."""
    return to_datetime(to_seconds(text))
