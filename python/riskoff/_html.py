"""HTML views for Jupyter, built from the library's own renderings: a decision from its JSON
explanation (headline, because, why not, checklist, inputs), a ruleset's outline, a replay's
SVG chart (the one `riskoff replay --chart` writes) with its summary. Every string from a rule
file or a data file is escaped."""

from __future__ import annotations

from html import escape

_TRUTH = {True: "✔", False: "✘", None: "?"}
_STYLE = ("<style>.riskoff td,.riskoff th{text-align:left;padding:2px 8px;vertical-align:top}"
          ".riskoff ul{margin:2px 0 2px 1em;padding-left:1em}.riskoff .on{color:#b00}</style>")


def _truth(value) -> str:
    return _TRUTH.get(value if value in (True, False) else None, "?")


def _reasons(reasons: list) -> str:
    if not reasons:
        return ""
    items = []
    for reason in reasons:
        title = f"<b>{escape(reason['title'])}</b>: " if reason.get("title") else ""
        text = reason.get("text") or reason.get("subject", "")
        items.append(f"<li>{_truth(reason.get('truth'))} {title}{escape(text)}{_reasons(reason.get('because', []))}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def decision_html(e: dict) -> str:
    """The explanation as the web page shows it: headline, because, why not, checklist, inputs."""
    regime = f" — {escape(e['regime'])}" if e.get("regime") else ""
    unknown = " <i>(depends on unknown data)</i>" if e.get("depends_on_unknown") else ""
    parts = [_STYLE, "<div class='riskoff'>",
             f"<h3>{escape(e['action'].upper())}{regime}</h3>",
             f"<p>{escape(e.get('profile', ''))} · as of {escape(e.get('as_of', ''))} · "
             f"{escape(e['ruleset']['name'])} {escape(e['ruleset']['version'])}{unknown}</p>"]
    if e.get("advice"):
        parts.append(f"<p><b>Advice:</b> {escape(e['advice'])}</p>")
    because = e.get("because") or {}
    parts.append(f"<h4>Because</h4><p><code>{escape(because.get('condition', ''))}</code></p>")
    parts.append(_reasons(because.get("because", [])))
    if e.get("why_not"):
        parts.append("<h4>Why not</h4><ul>" + "".join(
            f"<li><b>{escape(c['action'])}</b> {_truth(c.get('truth'))} <code>{escape(c.get('condition', ''))}</code>"
            f"{_reasons(c.get('because', []))}</li>" for c in e["why_not"]) + "</ul>")
    if e.get("checklist"):
        rows = [[str(g.get("step", "")), escape(g.get("title") or g["name"]),
                 "<span class='on'>on</span>" if g.get("on") else ("?" if g.get("on") is None else "off"),
                 escape(g.get("because") or ""), f"{g.get('minutes', '')} min"] for g in e["checklist"]]
        parts.append("<h4>Checklist</h4>" + _table(["#", "check", "status", "because", "time"], rows))
    if e.get("closest_to_flipping"):
        rows = [[escape(f["subject"]), escape(f["text"]), f"{f['distance']:.3g}"] for f in e["closest_to_flipping"]]
        parts.append("<h4>Closest to flipping</h4>" + _table(["what", "comparison", "distance"], rows))
    if e.get("inputs"):
        rows = [[escape(i["name"]), escape(i.get("status", "")), escape(str(i.get("last_value", ""))),
                 escape(i.get("last_time", "")), escape(i.get("source", ""))] for i in e["inputs"]]
        parts.append("<details><summary>Inputs</summary>"
                     + _table(["input", "status", "last", "at", "source"], rows) + "</details>")
    return "".join(parts) + "</div>"


def ruleset_html(o: dict) -> str:
    """The outline: header, profiles, inputs and parameters."""
    inputs = [[escape(i["name"]), escape(i["unit"]), "series" if i["series"] else "scalar",
               "optional" if i["optional"] else "", f"{i['max_age_hours']:g} h" if i["max_age_hours"] else ""]
              for i in o["inputs"]]
    parameters = [[escape(p["name"]), escape(p["kind"]), escape(p["default"])] for p in o["parameters"]]
    return "".join([
        _STYLE, "<div class='riskoff'>",
        f"<h3>{escape(o['name'])} {escape(o['version'])}</h3><p><code>{escape(o['content_hash'][:16])}…</code></p>",
        "<p><b>Profiles:</b> " + ", ".join(escape(p) for p in o["profiles"]) + "</p>",
        "<h4>Inputs</h4>", _table(["input", "unit", "kind", "", "max age"], inputs),
        "<h4>Parameters</h4>", _table(["parameter", "kind", "default"], parameters), "</div>"])


def replay_html(svg: str, summary: dict) -> str:
    """The replay's chart (the library's SVG) above its summary."""
    per_action = ", ".join(f"{escape(a)} {n}" for a, n in summary.get("steps_per_action", {}).items())
    overlay, hold = summary.get("overlay", {}), summary.get("buy_and_hold", {})
    rows = [[name, f"{m.get('total_return', 0):+.1%}", f"{m.get('annual_return', 0):+.1%}",
             f"{m.get('volatility', 0):.1%}", f"{m.get('max_drawdown', 0):.1%}"]
            for name, m in (("overlay", overlay), ("buy and hold", hold)) if m]
    return "".join([_STYLE, "<div class='riskoff'>", svg,
                    f"<p>{summary.get('steps', 0)} steps: {per_action}; {summary.get('changes', 0)} changes</p>",
                    _table(["", "total", "annual", "volatility", "max drawdown"], rows), "</div>"])


def sweep_html(svg: str, frame, verdict: str) -> str:
    """A sweep: the library's heatmap (two parameters swept), the verdict, the table of points."""
    figures = {"total_return", "annual_return", "volatility", "max_drawdown", "off_wait"}
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for name, value in zip(frame.columns, record):
            if name == "own":
                row.append("★" if value else "")
            elif name in figures:
                row.append(f"{value:+.2%}" if name in ("total_return", "annual_return", "max_drawdown") else f"{value:.1%}")
            elif name in ("sharpe", "turnover"):
                row.append(f"{value:.2f}")
            else:
                row.append(escape(str(value)))
        rows.append(row)
    return "".join([_STYLE, "<div class='riskoff'>", svg, f"<p><b>Plateau:</b> {escape(verdict)}</p>",
                    _table([str(c) for c in frame.columns], rows), "</div>"])


def shuffle_html(ranks) -> str:
    """A shuffle test: where the real run ranks among the draws, per kind and figure."""
    rows = [[escape(r.kind), escape(r.figure), f"{r.real:.4g}", f"{r.percentile:.1%}", f"{r.median:.4g}",
             f"{r.low:.4g} … {r.high:.4g}", escape(r.verdict)] for r in ranks.itertuples(index=False)]
    return "".join([_STYLE, "<div class='riskoff'>",
                    _table(["draws", "figure", "real", "percentile", "median", "5% … 95%", "verdict"], rows), "</div>"])
