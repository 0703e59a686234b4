"""``--format html``: one self-contained page for people (CI artifacts, reviews).

Everything is inline: CSS, a small script, the data the charts are drawn from.
The page loads nothing: a Content-Security-Policy of ``default-src 'none'`` makes
the browser refuse any request even if a document's text tried to smuggle one in,
and all document text is HTML-escaped here (findings) or set as text by the
script (chart labels from the embedded JSON).

Findings are rendered here, in context; the script only filters them (by plugin
and severity, also from the URL: ``report.html#plugin=spelling&severity=error``)
and draws two SVG charts: findings per section (following the filters) and a
histogram of sentence lengths.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from lsp_server.documents import parse_document
from lsp_server.lint import FileReport, LintFinding, LintReport, read_source
from lsp_server.output import display_path
from lsp_server.output.html_outline import Outline, outline
from lsp_server.output.positions import LineIndex
from lsp_server.plugin import Severity

SEVERITIES = ("error", "warning", "info", "hint")
# Characters of a long line shown on each side of a finding.
CONTEXT_CHARS = 70
MAX_SHOWN_REPLACEMENTS = 5


def _asset(name: str) -> str:
    return resources.files("lsp_server.output").joinpath(name).read_text(encoding="utf-8")


def _json_for_script(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@dataclasses.dataclass
class _File:
    report: FileReport
    source: str | None
    outline: Outline | None


def _load(f: FileReport) -> _File:
    """The file's text and outline as it is now, or None where it cannot be read or parsed."""
    if f.errors or f.skipped:
        return _File(f, None, None)
    source, _ = read_source(f.path)
    if source is None:
        return _File(f, None, None)
    index = LineIndex(source)
    try:
        doc = parse_document(source, f.language_id, f.path.as_uri())
    except Exception:  # noqa: BLE001 - the report still shows findings without an outline
        return _File(f, source, None)
    return _File(f, source, outline(doc, lambda offset: index.position(offset).line))


def _context(source: str | None, x: LintFinding) -> str:
    """The finding's first line, clipped around it, with the finding marked; escaped."""
    if source is None or source[x.start.offset : x.end.offset] != x.text:
        return f'<span class="ln">{x.start.line}</span><mark>{html.escape(x.text)}</mark>' if x.text else ""
    line_start = x.start.offset - (x.start.column - 1)
    line_end = len(source)
    for stop in ("\n", "\r"):
        at = source.find(stop, x.start.offset)
        if at != -1:
            line_end = min(line_end, at)
    a, b = x.start.offset, min(x.end.offset, line_end)
    left_from = max(line_start, a - CONTEXT_CHARS)
    right_to = min(line_end, b + CONTEXT_CHARS)
    left = ("…" if left_from > line_start else "") + source[left_from:a]
    right = source[b:right_to] + ("…" if right_to < line_end else "")
    marked = source[a:b] or " "
    more = "…" if x.end.offset > line_end else ""
    return (
        f'<span class="ln">{x.start.line}</span>{html.escape(left)}'
        f"<mark>{html.escape(marked)}{more}</mark>{html.escape(right)}"
    )


def _finding(x: LintFinding, file_index: int, section: int, source: str | None) -> str:
    sev = x.severity.name.lower()
    fixes = ""
    if x.replacements:
        shown = ", ".join(f"<code>{html.escape(r) if r else '(delete)'}</code>" for r in x.replacements[:MAX_SHOWN_REPLACEMENTS])
        fixes = f'<p class="fixes">Suggestions: {shown}</p>'
    explanation = f'<details><summary>Why</summary><p>{html.escape(x.explanation)}</p></details>' if x.explanation else ""
    return (
        f'<li class="finding sev-{sev}" data-plugin="{html.escape(x.plugin)}" data-severity="{sev}" '
        f'data-rule="{html.escape(x.rule)}" data-file="{file_index}" data-section="{section}">'
        f'<div class="head"><span class="sev">{sev}</span> <span class="where">{x.start.line}:{x.start.column}</span> '
        f'<code class="rule">{html.escape(x.rule)}</code> <span class="message">{html.escape(x.message)}</span></div>'
        f'<pre class="context">{_context(source, x)}</pre>{fixes}{explanation}</li>'
    )


def _file_section(i: int, item: _File, cwd: Path) -> str:
    f = item.report
    path = html.escape(display_path(f.path, cwd))
    notes = "".join(f'<p class="problem">{html.escape(e)}</p>' for e in f.errors)
    if f.skipped:
        notes += f'<p class="problem">{html.escape(f.skipped)}</p>'
    section_of = item.outline.section_of if item.outline else (lambda offset: -1)
    body = "".join(_finding(x, i, section_of(x.start.offset), item.source) for x in f.findings)
    items = f'<ol class="findings">{body}</ol>' if body else '<p class="clean">No findings.</p>'
    return (
        f'<section class="file" data-file="{i}"><h2><span class="path">{path}</span> '
        f'<span class="count" data-total="{len(f.findings)}">{len(f.findings)}</span></h2>{notes}{items}</section>'
    )


def _checkboxes(name: str, counts: dict[str, int]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{html.escape(key)}" checked> '
        f'{html.escape(key)} <span class="n">{n}</span></label>'
        for key, n in counts.items()
    )
    return f'<fieldset data-filter="{name}"><legend>{name.capitalize()}</legend>{boxes}</fieldset>'


def _chart_data(files: list[_File], cwd: Path) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": display_path(item.report.path, cwd),
                "sections": [{"title": h.title, "line": h.line} for h in item.outline.headings] if item.outline else [],
                "sentences": list(item.outline.sentence_lengths) if item.outline else [],
            }
            for item in files
        ]
    }


def render(report: LintReport, cwd: Path) -> str:
    files = [_load(f) for f in report.files]
    findings = [x for _, x in report.findings]
    by_severity = {s: n for s, n in report.by_severity().items() if n}
    plugins = report.by_plugin()
    problems = "".join(f'<li class="problem">{html.escape(e)}</li>' for e in report.errors + report.notes)
    worst = max((x.severity for x in findings), default=None)
    summary_counts = ", ".join(f"{n} {s}" for s, n in by_severity.items())
    summary = (
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"
        + (f" ({summary_counts})" if summary_counts else "")
    )
    rules = Counter(x.rule for x in findings)
    top_rules = "".join(f"<li><code>{html.escape(r)}</code> <span class=\"n\">{n}</span></li>" for r, n in rules.most_common(10))
    replacements = {
        "<!--TITLE-->": "Marginalia report",
        "<!--CSS-->": _asset("html_report.css"),
        "<!--SUMMARY-->": html.escape(summary),
        "<!--WORST-->": worst.name.lower() if isinstance(worst, Severity) else "none",
        "<!--FILTERS-->": _checkboxes("plugin", plugins) + _checkboxes("severity", {s: by_severity[s] for s in SEVERITIES if s in by_severity}),
        "<!--TOTAL-->": str(len(findings)),
        "<!--PROBLEMS-->": f'<ul class="problems">{problems}</ul>' if problems else "",
        "<!--TOP_RULES-->": f'<ol class="rules">{top_rules}</ol>' if top_rules else "",
        "<!--FILES-->": "".join(_file_section(i, item, cwd) for i, item in enumerate(files)),
        "<!--DATA-->": _json_for_script(_chart_data(files, cwd)),
        "<!--JS-->": _asset("html_report.js"),
    }
    page = _asset("html_report.html")
    for marker, value in replacements.items():
        page = page.replace(marker, value, 1)
    return page
