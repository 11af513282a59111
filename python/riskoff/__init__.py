"""riskoff: an explainable rule engine for cross-asset risk-off weeks, from Python.

>>> import riskoff
>>> rules = riskoff.Ruleset.from_file("rulesets/riskoff.rules")
>>> snap = riskoff.Snapshot.from_sources("examples/sources-local.json", "2026-02-04T21:00:00Z", ruleset=rules)
>>> decision = rules.decide(snap, profile="swing")
>>> decision.action
'hedge'
>>> run = riskoff.replay(rules, sources="examples/sources-local.json", start="2017-01-01", profile="swing")
>>> run.frame.tail()
>>> grid = riskoff.sweep(rules, {"yield_jump": "10bp..20bp/5bp"}, sources="examples/sources-local.json",
...                      start="2022-01-01", profile="swing")
>>> grid.frame, grid.plateau.verdict

The compiled core is the library's public C++ API (python/README.md); errors are the
exceptions of riskoff.errors.
"""

from . import _core
from ._decide import Decision, Diagnostic, InputInfo, ParameterInfo, Ruleset, Snapshot
from ._prepared import Prepared
from ._replay import Replay, replay
from ._sweep import Plateau, Shuffle, Sweep, shuffle, sweep
from ._walk_forward import WalkForward, walk_forward
from .errors import DataError, IoError, RiskoffError, RulesetError, SnapshotError, StoreError, UsageError
from . import audit

__version__ = _core.version

__all__ = ["Ruleset", "Snapshot", "Decision", "Prepared", "Diagnostic", "InputInfo", "ParameterInfo", "Replay", "replay", "Sweep", "sweep", "Plateau", "Shuffle", "shuffle",
           "WalkForward", "walk_forward",
           "audit", "RiskoffError", "UsageError", "RulesetError", "SnapshotError", "DataError", "StoreError",
           "IoError", "__version__"]
