"""Snapshots from files, JSON, sources and pandas; decide(); a Decision's explanation and values,
compared byte for byte with `riskoff eval --format json` on the three shipped snapshots."""

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

import riskoff
from conftest import SNAPSHOTS, cli

UTC = dt.timezone.utc


@pytest.mark.parametrize("day", SNAPSHOTS)
@pytest.mark.parametrize("profile", ["swing", None])
def test_decide_matches_the_cli_json_for_every_example_snapshot(rules, day, profile):
    path = f"examples/snapshots/{day}.json"
    decision = rules.decide(riskoff.Snapshot.from_file(path), profile=profile)
    args = ["eval", "--ruleset", "rulesets/riskoff.rules", "--snapshot", path, "--format", "json"]
    if profile:
        args += ["--profile", profile]
    run = cli(*args)
    assert run.returncode == 0, run.stderr
    assert decision.json == run.stdout.rstrip("\n") or decision.json == run.stdout
    assert decision.explanation == json.loads(run.stdout)
    assert decision.action == decision.explanation["action"]
    assert decision.profile == (profile or rules.profiles[0])
    assert decision.as_of == dt.datetime.fromisoformat(decision.explanation["as_of"].replace("Z", "+00:00"))


def test_text_and_markdown_match_the_cli(rules):
    path = "examples/snapshots/2026-02-04.json"
    decision = rules.decide(riskoff.Snapshot.from_file(path), profile="swing")
    for fmt, got in (("text", decision.text), ("markdown", decision.markdown)):
        run = cli("eval", "-r", "rulesets/riskoff.rules", "-s", path, "-p", "swing", "-f", fmt, "--color", "never")
        assert run.returncode == 0, run.stderr
        assert got.rstrip("\n") == run.stdout.rstrip("\n"), fmt


def test_values_as_a_dict_and_as_a_dataframe(rules):
    decision = rules.decide(riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), profile="swing")
    values = decision.values
    assert isinstance(values["us10y"], float)
    conditions = [v for v in values.values() if v is None or isinstance(v, bool)]
    assert conditions, "the ruleset's signals are conditions"
    frame = decision.values_frame()
    assert list(frame.columns) == ["kind", "is_condition", "truth", "value", "upper", "unit"]
    assert frame.index.name == "name" and len(frame) == len(values)
    assert frame["value"].dtype == np.float64 and frame["is_condition"].dtype == bool
    assert set(frame["kind"]) <= {"input", "let", "signal", "group"}
    assert set(frame.loc[frame["is_condition"], "truth"]) <= {"true", "false", "unknown"}


def test_overrides_as_dict_or_list_change_the_decision_like_the_cli(rules):
    snap = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    name = next(p.name for p in rules.parameters if p.name == "yield_jump")
    by_dict = rules.decide(snap, profile="swing", overrides={name: "1bp"})
    by_list = rules.decide(snap, profile="swing", overrides=[f"{name}=1bp"])
    assert by_dict.json == by_list.json
    run = cli("eval", "-r", "rulesets/riskoff.rules", "-s", "examples/snapshots/2026-02-04.json", "-p", "swing",
              "--set", f"{name}=1bp", "-f", "json")
    assert by_dict.explanation == json.loads(run.stdout)


def test_errors_are_exceptions_with_the_librarys_messages(rules):
    snap = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    with pytest.raises(riskoff.UsageError, match="unknown profile `nope`"):
        rules.decide(snap, profile="nope")
    with pytest.raises(riskoff.UsageError) as caught:
        rules.decide(snap, overrides={"yield_jump": "twenty"})
    assert "yield_jump" in str(caught.value) and caught.value.messages
    with pytest.raises(riskoff.SnapshotError) as caught:
        rules.decide(riskoff.Snapshot.from_json('{"format": "riskoff.snapshot/1", "as_of": "2026-02-04", "inputs": {}}'))
    assert "`us10y`" in str(caught.value) or "input" in str(caught.value)
    with pytest.raises(riskoff.SnapshotError) as caught:
        riskoff.Snapshot.from_json('{"format": "riskoff.snapshot/1", "as_of": 7', name="broken.json")
    assert "broken.json" in str(caught.value)
    with pytest.raises(riskoff.UsageError):
        rules.decide("not a snapshot")


def test_keep_false_decides_without_an_explanation(rules):
    decision = rules.decide(riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), keep=False)
    assert decision.action in ("hedge", "reduce", "wait")
    with pytest.raises(riskoff.UsageError, match="keep=False"):
        decision.explanation


def test_from_json_round_trips_the_canonical_json():
    snap = riskoff.Snapshot.from_file("examples/snapshots/2020-03-16.json")
    again = riskoff.Snapshot.from_json(snap.to_json())
    assert again.to_json() == snap.to_json() and again.input_count == snap.input_count
    assert snap.as_of.tzinfo is not None


def test_from_sources_builds_what_the_cli_decides_on(rules):
    snap = riskoff.Snapshot.from_sources("examples/sources-local.json", "2026-02-04T21:00:00Z", ruleset=rules)
    assert snap.as_of == dt.datetime(2026, 2, 4, 21, tzinfo=UTC)
    decision = rules.decide(snap, profile="swing")
    run = cli("eval", "-r", "rulesets/riskoff.rules", "--sources", "examples/sources-local.json",
              "--as-of", "2026-02-04T21:00:00Z", "-p", "swing", "-f", "json")
    assert run.returncode == 0, run.stderr
    assert decision.explanation == json.loads(run.stdout)
    with pytest.raises(riskoff.DataError):
        riskoff.Snapshot.from_sources("tests/python/conftest.py", "2026-02-04")


def test_from_frame_gives_the_same_decision_as_the_json_snapshot(rules):
    original = riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json")
    document = json.loads(original.to_json())
    frames, units = {}, {}
    for name, entry in document["inputs"].items():
        units[name] = entry["unit"]
        times = entry["times"] if "times" in entry else [entry["time"]]
        values = entry["values"] if "values" in entry else [entry["value"]]
        frames[name] = pd.Series(values, index=pd.to_datetime(times, utc=True))
    snap = riskoff.Snapshot.from_frame(frames, units=units, as_of=original.as_of, ruleset=rules)
    got, want = rules.decide(snap, profile="swing"), rules.decide(original, profile="swing")
    # The same decision, down to every node value; only the inputs' source labels differ.
    assert got.action == want.action
    assert got.values_frame().fillna(-1).equals(want.values_frame().fillna(-1))
    assert got.explanation["because"] == want.explanation["because"]


def test_from_frame_rejects_what_a_snapshot_cannot_hold():
    index = pd.to_datetime(["2026-02-02", "2026-02-03"], utc=True)
    with pytest.raises(riskoff.UsageError, match="no unit"):
        riskoff.Snapshot.from_frame({"vix": pd.Series([1.0, 2.0], index=index)})
    backwards = pd.Series([1.0, 2.0], index=index[::-1])
    with pytest.raises(riskoff.SnapshotError, match="vix"):
        riskoff.Snapshot.from_frame({"vix": backwards}, units="index")
    with pytest.raises(riskoff.SnapshotError, match="fraction of a second"):
        riskoff.Snapshot.from_frame({"vix": pd.Series([1.0], index=pd.to_datetime(["2026-02-02 00:00:00.5"]))},
                                    units="index")
    snap = riskoff.Snapshot.from_frame(pd.DataFrame({"vix": [1.0, math.nan]}, index=index), units="index")
    assert snap.input_count == 1 and snap.as_of == dt.datetime(2026, 2, 2, tzinfo=UTC)  # the NaN row is dropped


def test_decision_html_shows_headline_because_and_checklist(rules):
    decision = rules.decide(riskoff.Snapshot.from_file("examples/snapshots/2026-02-04.json"), profile="swing")
    html = decision._repr_html_()
    assert decision.action.upper() in html
    assert "Because" in html and "Checklist" in html
    assert decision.explanation["checklist"][0]["title"] in html.replace("&#x27;", "'")
