"""Ruleset.from_file / from_text, diagnostics as objects, RulesetError, the outline."""

import pytest

import riskoff


def test_from_file_reads_the_header_profiles_inputs_and_parameters(rules):
    assert rules.name == "riskoff"
    assert rules.version == riskoff.__version__ or rules.version
    assert rules.profiles[:2] == ["short_term", "swing"]
    assert len(rules.content_hash) == 64
    names = [i.name for i in rules.inputs]
    assert "us10y" in names and "vix" in names
    us10y = next(i for i in rules.inputs if i.name == "us10y")
    assert us10y.unit == "percent" and us10y.is_series
    assert all(p.kind in ("number", "duration", "bars", "condition") for p in rules.parameters)
    assert next(iter(rules.closure())).endswith("riskoff.rules")


def test_from_text_compiles_and_keeps_warnings_as_diagnostics(source):
    text = (source / "rulesets/riskoff.rules").read_text()
    rules = riskoff.Ruleset.from_text(text, name="riskoff.rules", directory=source / "rulesets")
    assert rules.name == "riskoff"
    assert all(not d.is_error for d in rules.diagnostics)


def test_a_ruleset_that_does_not_check_raises_rulesetError_with_every_diagnostic():
    with pytest.raises(riskoff.RulesetError) as caught:
        riskoff.Ruleset.from_text('ruleset x\nprofile {', name="bad.rules")
    error = caught.value
    assert isinstance(error, ValueError) and error.kind == "ruleset"
    codes = [d.code for d in error.diagnostics]
    assert codes == ["E0101", "E0107"], codes
    first = error.diagnostics[0]
    assert (first.file, first.line, first.column) == ("bad.rules", 2, 1)
    assert first.message.startswith("expected `version")
    assert first.is_error and isinstance(first.help, str)
    assert first.text.startswith("bad.rules:2:1: error[E0101]:")
    assert str(error).startswith("bad.rules:2:1: error[E0101]")


def test_an_unreadable_rule_file_is_an_IoError_and_an_OSError(tmp_path):
    with pytest.raises(riskoff.IoError) as caught:
        riskoff.Ruleset.from_file(tmp_path / "missing.rules")
    assert isinstance(caught.value, OSError)
    assert "missing.rules" in str(caught.value)


def test_outline_and_html_name_inputs_parameters_and_profiles(rules):
    outline = rules.outline()
    assert outline["profiles"] == rules.profiles
    assert {"name", "unit", "series", "optional", "max_age_hours"} <= set(outline["inputs"][0])
    html = rules._repr_html_()
    for part in ("us10y", "swing", rules.parameters[0].name):
        assert part in html
