"""Report formats: JSON shape and exact positions, text lines, GitHub escaping, SARIF 2.1.0 validity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lint_demo_plugin import demo_engine

from lsp_server.lint import EngineSpec, FileReport, LintFinding, LintReport, run_lint
from lsp_server.output import render
from lsp_server.output.github import escape_data, escape_property
from lsp_server.output.positions import LineIndex
from lsp_server.plugin import Severity

DATA = Path(__file__).parent / "data"
# Emoji (two UTF-16 units), CJK (one unit) and CRLF line breaks before the finding.
SOURCE = "Intro 😀 中文.\r\n\r\nLine 😀😀 teh end.\r\ncolour"


@pytest.fixture
def report(tmp_path: Path) -> LintReport:
    (tmp_path / "doc.txt").write_bytes(SOURCE.encode())
    (tmp_path / "bad.txt").write_bytes(b"\xc3\x28")
    return run_lint(["doc.txt", "bad.txt"], EngineSpec(tmp_path), cwd=tmp_path, jobs=1, factory=demo_engine)


def test_json_is_one_object_with_exact_positions(report: LintReport, tmp_path: Path) -> None:
    data = json.loads(render(report, "json", tmp_path))
    assert set(data) == {"version", "files", "summary"}
    assert data["version"] == 1
    assert [f["path"] for f in data["files"]] == ["doc.txt", "bad.txt"]
    teh, colour = data["files"][0]["findings"]
    # "Intro 😀 中文.\r\n" is 13 code points, "\r\n" 2 more: line 3 starts at offset 15;
    # "Line 😀😀 " is 8 code points, so "teh" starts at column 9, offset 23.
    assert teh == {
        "plugin": "demo",
        "rule": "demo.teh",
        "severity": "warning",
        "message": "'teh' is a typo",
        "start": {"line": 3, "column": 9, "offset": 23},
        "end": {"line": 3, "column": 12, "offset": 26},
        "text": "teh",
        "replacements": ["the"],
    }
    assert SOURCE[23:26] == "teh"
    assert (colour["start"], colour["end"], colour["replacements"]) == (
        {"line": 4, "column": 1, "offset": 33}, {"line": 4, "column": 7, "offset": 39}, ["color"]
    )
    summary = data["summary"]
    assert summary["files"] == 2 and summary["findings"] == 2
    assert summary["by_severity"] == {"error": 0, "warning": 1, "info": 1, "hint": 0}
    assert summary["by_plugin"] == {"demo": 2}
    assert len(summary["errors"]) == 1 and summary["errors"][0].startswith("bad.txt: is not valid UTF-8")


def test_text_lines_look_like_ruff(report: LintReport, tmp_path: Path) -> None:
    out = render(report, "text", tmp_path).splitlines()
    assert out == [
        "doc.txt:3:9: warning demo.teh 'teh' is a typo [the]",
        "doc.txt:4:1: info demo.colour US spelling is 'color' [color]",
        "Found 2 problems (1 warning, 1 info) in 2 files. 1 error stopped checking (listed on stderr).",
    ]
    colored = render(report, "text", tmp_path, color=True)
    assert "\x1b[33mwarning\x1b[0m" in colored


def test_github_commands_and_escaping(report: LintReport, tmp_path: Path) -> None:
    lines = render(report, "github", tmp_path).splitlines()
    assert lines[0] == (
        "::warning file=doc.txt,line=3,col=9,endLine=3,endColumn=12,title=demo.teh::'teh' is a typo (suggestion: the)"
    )
    assert lines[1].startswith("::notice file=doc.txt,line=4,col=1,endLine=4,endColumn=7,title=demo.colour::")
    assert lines[2].startswith("::error title=marginalia::bad.txt: is not valid UTF-8")
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("dir:a,b%\n") == "dir%3Aa%2Cb%25%0A"


def _sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return schema


def test_sarif_validates_against_the_official_schema(report: LintReport, tmp_path: Path) -> None:
    log = json.loads(render(report, "sarif", tmp_path))
    schema = _sarif_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    # The validator does catch a broken log: a result without a message.
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_sarif_counts_utf16_units_and_carries_rules_and_fixes(report: LintReport, tmp_path: Path) -> None:
    run = json.loads(render(report, "sarif", tmp_path))["runs"][0]
    assert run["tool"]["driver"]["name"] == "Marginalia"
    # A rule is described by its explanation's first sentence, else by its first message.
    assert [(r["id"], r["shortDescription"]["text"]) for r in run["tool"]["driver"]["rules"]] == [
        ("demo.colour", "US spelling is 'color'"), ("demo.teh", "Typos distract the reader."),
    ]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    teh = run["results"][0]
    assert (teh["ruleId"], teh["level"], teh["message"]["text"]) == ("demo.teh", "warning", "'teh' is a typo")
    assert run["tool"]["driver"]["rules"][teh["ruleIndex"]]["id"] == "demo.teh"
    location = teh["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "doc.txt", "uriBaseId": "%SRCROOT%"}
    # Three emoji precede it in the file (two on its line): each adds one UTF-16 unit.
    region = location["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 11, 3, 14)
    assert (region["charOffset"], region["charLength"]) == (26, 3)
    assert SOURCE.encode("utf-16-le")[26 * 2 : 29 * 2].decode("utf-16-le") == "teh"
    fix = teh["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert fix == {"deletedRegion": {"charOffset": 26, "charLength": 3}, "insertedContent": {"text": "the"}}
    assert run["results"][1]["level"] == "note"
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "bad.txt" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_quotes_paths_and_keeps_files_outside_the_root_absolute(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "my notes").mkdir(parents=True)
    (root / "my notes" / "é.txt").write_text("teh", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("teh", encoding="utf-8")
    report = run_lint(["my notes/é.txt", str(tmp_path / "elsewhere.txt")], EngineSpec(root), cwd=root, jobs=1,
                      factory=demo_engine)
    log = json.loads(render(report, "sarif", root))
    jsonschema.Draft7Validator(_sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert uris == [{"uri": "my%20notes/%C3%A9.txt", "uriBaseId": "%SRCROOT%"}, {"uri": (tmp_path / "elsewhere.txt").as_uri()}]


def test_an_empty_replacement_reads_as_a_deletion(tmp_path: Path) -> None:
    index = LineIndex("the the")
    finding = LintFinding("g", "g.doubled", Severity.WARNING, "doubled", index.position(3), index.position(7), " the", ("",))
    report = LintReport([FileReport(tmp_path / "a.txt", "plaintext", [finding])], tmp_path, tmp_path)
    assert render(report, "text", tmp_path).splitlines()[0] == "a.txt:1:4: warning g.doubled doubled [(delete)]"
    assert render(report, "github", tmp_path).endswith("::doubled (suggestion: delete it)\n")
