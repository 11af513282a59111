"""HTML views for Jupyter: a decision's explanation, a ruleset's outline, a replay's chart."""

from __future__ import annotations

from html import escape


def decision_html(explanation: dict) -> str:
    return "<pre>" + escape(str(explanation.get("action"))) + "</pre>"


def ruleset_html(outline: dict) -> str:
    return "<pre>" + escape(str(outline)) + "</pre>"


def replay_html(svg: str, summary: dict) -> str:
    return svg
