"""riskoff.Prepared: inputs resolved to slots once, rows evaluated by slot; the same decisions and
JSON as the snapshot path, and the snapshot path's errors."""

import json
import math

import pytest

import riskoff
from conftest import SNAPSHOTS, SOURCE


def _observations(day):
    data = json.loads((SOURCE / f"examples/snapshots/{day}.json").read_text())
    return data["as_of"], data["inputs"]


@pytest.mark.parametrize("day", SNAPSHOTS)
def test_prepared_decides_as_the_snapshot_path(rules, day):
    as_of, inputs = _observations(day)
    prepared = rules.prepare(as_of, profile="swing")
    declared = riskoff.Snapshot.from_json(json.dumps({"format": "riskoff.snapshot/1", "as_of": as_of, "inputs": {}}))
    for info in rules.inputs:
        if info.name not in inputs:
            continue
        slot = prepared.slot(info.name)
        times = inputs[info.name].get("times") or [inputs[info.name]["time"]]
        values = inputs[info.name].get("values") or [inputs[info.name]["value"]]
        for time, value in zip(times, values):
            prepared.append(slot, time, value)
        declared.add_series(info.name, info.unit, times, values)
    by_file = rules.decide(riskoff.Snapshot.from_file(SOURCE / f"examples/snapshots/{day}.json"), profile="swing")
    action, unknown = prepared.evaluate()
    assert (action, unknown) == (by_file.action, by_file.depends_on_unknown)
    assert prepared.decide().json == rules.decide(declared, profile="swing").json


def test_rows_by_slot_on_the_peer_ruleset():
    rules = riskoff.Ruleset.from_file(SOURCE / "bench/peer.rules")
    prepared = rules.prepare(1000, profile="reference", keep=False)
    assert prepared.slot_count == len(rules.inputs)
    row = [0.0] * prepared.slot_count
    assert prepared.evaluate_row(1000, row) == ("wait", False)
    row[prepared.slot("vix")] = 30.0               # deleveraging
    row[prepared.slot("us10y_chg_5d_bp")] = 20.0   # rates
    assert prepared.evaluate_row(2000, row) == ("reduce", False)
    assert prepared.as_of == riskoff._time.to_datetime(2000)


def test_prepared_errors_are_the_snapshot_paths(rules):
    prepared = rules.prepare("2026-02-04T21:00:00Z")
    vix = prepared.slot("vix")
    with pytest.raises(riskoff.UsageError, match="did you mean `vix`"):
        prepared.slot("vixx")
    with pytest.raises(riskoff.UsageError, match="is not a slot"):
        prepared.set(10_000, "2026-02-04", 1.0)
    with pytest.raises(riskoff.SnapshotError, match="expected a finite number"):
        prepared.set(vix, "2026-02-04", math.nan)
    with pytest.raises(riskoff.SnapshotError, match="after as_of"):
        prepared.set(vix, "2026-02-05", 20.0)
    prepared.append(vix, "2026-02-03", 20.0)
    with pytest.raises(riskoff.SnapshotError, match="strictly increasing"):
        prepared.append(vix, "2026-02-02", 21.0)
    with pytest.raises(riskoff.SnapshotError, match="required input `.*` is missing"):
        prepared.evaluate()
