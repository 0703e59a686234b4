"""``marginalia lint --format html``: rendered in Debian's headless Chromium.

The page is loaded from a file URL with the network switched off, scripts run,
and the DOM Chromium dumps is checked: every finding in context, both charts
drawn from data, filters from the URL working, no way for a document to inject
markup, and nothing in the file that could load a resource.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from external_tools import require_tool

from lsp_server.lint import EngineSpec, LintReport, run_lint
from lsp_server.output import render

REPO = Path(__file__).resolve().parent.parent
ASSETS = [REPO / "lsp_server" / "output" / n for n in ("html_report.html", "html_report.css", "html_report.js")]
# A document that tries to get markup and a script into the report, in a heading and in a finding's line.
# (The backslashes make Markdown keep the heading's tags as text, so they reach the chart data.)
HOSTILE_MD = r"""# Notes \</script\>\<script\>document.body.dataset.pwned=1\</script\>

This line has a mispelled word <img src="https://example.com/x.png" onerror="document.body.dataset.pwned=2"> in it.
"""


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Dom(HTMLParser):
    """Every element with its attributes and its own direct text."""

    elements: list[Element] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(el)
        if tag not in ("input", "meta", "br", "img", "rect", "line"):
            self._open.append(el)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def with_class(self, tag: str, cls: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and cls in e.attrs.get("class", "").split()]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[LintReport, Path]:
    work = tmp_path_factory.mktemp("report")
    for name in ("paper.tex", "paper.md", "references.bib"):
        shutil.copy(REPO / "examples" / name, work / name)
    (work / "hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    (work / ".marginalia.toml").write_text("", encoding="utf-8")
    report = run_lint([str(work)], EngineSpec(work), cwd=work)
    page = work / "report.html"
    page.write_text(render(report, "html", work), encoding="utf-8")
    return report, page


def chromium_dom(page: Path, fragment: str, profile: Path) -> Dom:
    chromium = require_tool("chromium", "chromium-browser")
    proc = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + fragment,
        ],
        capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0 and "<body" in proc.stdout, proc.stderr[-3000:]
    dom = Dom()
    dom.feed(proc.stdout)
    assert dom.find("body")[0].attrs.get("data-ready") == "true", "the report's script did not finish"
    return dom


@pytest.fixture(scope="module")
def dom(rendered: tuple[LintReport, Path], tmp_path_factory: pytest.TempPathFactory) -> Dom:
    return chromium_dom(rendered[1], "", tmp_path_factory.mktemp("chromium"))


@pytest.fixture(scope="module")
def section_dom(rendered: tuple[LintReport, Path], tmp_path_factory: pytest.TempPathFactory) -> Dom:
    return chromium_dom(rendered[1], "#group=section", tmp_path_factory.mktemp("chromium"))


def _counts(elements: list[Element]) -> int:
    return sum(int(e.attrs["data-count"]) for e in elements)


def test_every_finding_is_on_the_page_in_context(rendered: tuple[LintReport, Path], dom: Dom) -> None:
    report, _ = rendered
    items = dom.with_class("li", "finding")
    assert len(items) == sum(len(f.findings) for f in report.files) > 0
    assert Counter(e.attrs["data-plugin"] for e in items) == Counter(x.plugin for _, x in report.findings)
    marks = [e.text for e in dom.find("mark")]
    for _, x in report.findings:
        if x.text.strip() and "\n" not in x.text:
            assert x.text in marks, x


def test_chart_counts_findings_per_file_by_default(rendered: tuple[LintReport, Path], dom: Dom) -> None:
    report, _ = rendered
    assert dom.find("svg", id="section-chart")[0].attrs["data-group"] == "file"
    bars = [e for e in dom.with_class("rect", "bar") if "data-file" in e.attrs]
    assert {int(e.attrs["data-file"]): int(e.attrs["data-count"]) for e in bars} == {
        i: len(f.findings) for i, f in enumerate(report.files)
    }


def test_section_chart_counts_findings_under_each_heading(rendered: tuple[LintReport, Path], section_dom: Dom) -> None:
    report, _ = rendered
    dom = section_dom
    assert dom.find("svg", id="section-chart")[0].attrs["data-group"] == "section"
    bars = [e for e in dom.with_class("rect", "bar") if "data-section" in e.attrs]
    assert _counts(bars) == sum(len(f.findings) for f in report.files)
    # Expected counts from the LaTeX source itself: a finding belongs to the last \section above it.
    tex_index = next(i for i, f in enumerate(report.files) if f.path.name == "paper.tex")
    tex = report.files[tex_index]
    lines = tex.path.read_text(encoding="utf-8").splitlines()
    heading_lines = [n + 1 for n, line in enumerate(lines) if re.match(r"\\section\{", line)]
    assert len(heading_lines) == 2
    expected = Counter(sum(1 for h in heading_lines if h <= x.start.line) - 1 for x in tex.findings)
    drawn = {int(e.attrs["data-section"]): int(e.attrs["data-count"]) for e in bars if e.attrs["data-file"] == str(tex_index)}
    assert {s: n for s, n in drawn.items() if n} == dict(expected)
    labels = {e.text for e in dom.find("text")}
    assert "paper.tex \u203a Introduction" in labels
    assert any(label.endswith("Introduction") for label in labels) and any(label.endswith("Method") for label in labels)


def test_sentence_histogram_is_drawn_from_data(dom: Dom) -> None:
    chart = dom.find("svg", id="sentence-chart")[0]
    bins = [e for e in dom.with_class("rect", "bar") if "data-range" in e.attrs]
    assert len(bins) == 11 and bins[-1].attrs["data-range"] == "51+"
    total = int(chart.attrs["data-sentences"])
    assert total >= 10  # the two example papers have a dozen sentences between them
    assert _counts(bins) == total
    assert dom.find("span", id="sentence-total")[0].text == str(total)


@pytest.mark.parametrize(
    ("fragment", "plugin", "severity"),
    [("#plugin=spelling&group=section", "spelling", None), ("#severity=error", None, "error")],
)
def test_filters_from_the_url(
    rendered: tuple[LintReport, Path], tmp_path: Path, fragment: str, plugin: str | None, severity: str | None
) -> None:
    report, page = rendered
    filtered = chromium_dom(page, fragment, tmp_path)
    wanted = [
        x for _, x in report.findings
        if (plugin is None or x.plugin == plugin) and (severity is None or x.severity.name.lower() == severity)
    ]
    assert 0 < len(wanted) < sum(len(f.findings) for f in report.files)
    visible = [e for e in filtered.with_class("li", "finding") if "hidden" not in e.attrs]
    assert len(visible) == len(wanted)
    assert filtered.find("p", id="shown")[0].attrs["data-shown"] == str(len(wanted))
    bars = [e for e in filtered.with_class("rect", "bar") if "data-file" in e.attrs]
    assert _counts(bars) == len(wanted), "the chart follows the filters"


def test_document_text_cannot_inject_markup(section_dom: Dom) -> None:
    dom = section_dom
    assert "data-pwned" not in dom.find("body")[0].attrs
    assert dom.find("img") == []
    assert any("</script>" in e.text for e in dom.find("text")), "the hostile heading is shown as text"
    assert any('<img src="https://example.com/x.png"' in e.text for e in dom.with_class("pre", "context"))


def test_page_loads_nothing(rendered: tuple[LintReport, Path]) -> None:
    _, page = rendered
    text = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    parser = Dom()
    parser.feed(text)
    for el in parser.elements:
        for attr in ("src", "href", "srcset", "action", "poster", "data"):
            assert attr not in el.attrs, (el.tag, attr, el.attrs[attr])
    assert not re.search(r"url\(|@import|<link|<iframe|<object|<embed", text, re.I)
    for asset in ASSETS:
        assert not re.search(r"https?:|//[a-z]", asset.read_text(encoding="utf-8"), re.I), asset.name


def test_cli_writes_html(tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text("# Title\n\nA sentence with a mispelled word.\n", encoding="utf-8")
    out = tmp_path / "report.html"
    proc = subprocess.run(
        [sys.executable, "-m", "lsp_server.cli", "lint", str(source), "--plugins", "spelling", "--format", "html", "--output", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr  # one finding
    assert proc.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "mispelled" in text and 'data-plugin="spelling"' in text
