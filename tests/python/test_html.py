"""The Jupyter views escape every string that comes from a rule file, a data file or a store."""

from riskoff import _html

HOSTILE = "<script>alert(1)</script>"


def test_decision_html_escapes_titles_because_and_inputs():
    explanation = {
        "action": "hedge", "profile": "swing", "as_of": "2026-02-04T21:00:00Z", "regime": HOSTILE,
        "advice": HOSTILE, "depends_on_unknown": True, "ruleset": {"name": HOSTILE, "version": "1.0.0"},
        "because": {"condition": HOSTILE, "because": [{"kind": "signal", "title": HOSTILE, "text": HOSTILE,
                                                      "truth": True, "because": []}]},
        "why_not": [{"action": HOSTILE, "condition": HOSTILE, "truth": False, "because": []}],
        "checklist": [{"name": "x", "title": HOSTILE, "on": None, "step": 1, "minutes": 2, "because": HOSTILE}],
        "closest_to_flipping": [{"subject": HOSTILE, "text": HOSTILE, "distance": 0.5}],
        "inputs": [{"name": HOSTILE, "status": "ok", "last_value": HOSTILE, "last_time": "", "source": HOSTILE}],
    }
    html = _html.decision_html(explanation)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "HEDGE" in html and "depends on unknown data" in html


def test_ruleset_html_escapes_names_and_defaults():
    outline = {"name": HOSTILE, "version": "1", "content_hash": "ab" * 32, "profiles": [HOSTILE],
               "inputs": [{"name": HOSTILE, "unit": "index", "series": True, "optional": False, "max_age_hours": 0}],
               "parameters": [{"name": "p", "kind": "number", "unit": "bp", "default": HOSTILE}]}
    html = _html.ruleset_html(outline)
    assert "<script>" not in html and html.count("&lt;script&gt;") == 4
