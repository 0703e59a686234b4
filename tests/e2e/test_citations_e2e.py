"""Citations over real LSP: the server process, on corpus manuscripts copied into tmp_path.

Diagnostics (undefined key with its quick fix, unused entry, .bib checks),
completion inside \\citep{} and after [@, hover with the formatted reference,
and each code action: convert LaTeX <-> pandoc, insert the reference list
(resolved lazily), protect title capitals and move a DOI out of url in a .bib.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_location import copy_from_corpus
from lsp_harness import Client, apply_workspace_edit, code_actions_at, only_plugins, rng, running_server
from lsprotocol import types

CITATIONS_ONLY = only_plugins("citations")


def position_of(text: str, needle: str, extra: int = 0) -> types.Position:
    offset = text.index(needle) + extra
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return types.Position(line=line, character=col)  # ASCII lines: code points == UTF-16 units


@pytest.fixture
def rescience(corpus_dir: Path, workspace: Path) -> Path:
    return copy_from_corpus(corpus_dir, "rescience-pr18-maksimov/article", ("article.md", "article.bib"), workspace)


def _diags(client: Client, uri: str, rule: str) -> list[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.code == rule]


async def test_markdown_diagnostics_quick_fix_hover_and_completion(server_env: dict[str, str], rescience: Path) -> None:
    path = rescience / "article.md"
    text = path.read_text(encoding="utf-8")
    assert "[@Nordlie-2009_e1000456]" not in text  # the entry the paper never cites
    key = "Compte03_2707"
    assert f"@{key}" in text
    broken = text.replace(f"@{key}", f"@{key.lower()}", 1)
    uri = path.as_uri()
    async with running_server(server_env, rescience, init_options=CITATIONS_ONLY) as client:
        client.open(uri, broken, "markdown")
        published = await client.wait_for_publish(uri, version=1)
        rules = sorted(str(d.code) for d in published.diagnostics)
        assert rules == ["citations.undefined-key", "citations.unused-entry"]
        (undefined,) = _diags(client, uri, "citations.undefined-key")
        assert undefined.severity == types.DiagnosticSeverity.Error
        assert undefined.range.start == position_of(broken, f"@{key.lower()}", 1)
        (unused,) = _diags(client, uri, "citations.unused-entry")
        assert unused.severity == types.DiagnosticSeverity.Hint and "Nordlie-2009_e1000456" in unused.message

        actions = await code_actions_at(client, uri, undefined.range, ["quickfix"])
        fix = next(a for a in actions if a.edit is not None and key in a.title)
        assert fix.edit is not None
        assert apply_workspace_edit(broken, fix.edit, uri, 1) == text
        client.change(uri, 2, (None, text))
        fixed = await client.wait_for_publish(uri, version=2)
        assert [str(d.code) for d in fixed.diagnostics] == ["citations.unused-entry"]

        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, f"@{key}", 3))
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert f"**{key}**" in hover.contents.value and "Compte, A." in hover.contents.value

        edited = text.replace(f"[@{key}", "[@Nor", 1)
        client.change(uri, 3, (None, edited))
        await client.wait_for_publish(uri, version=3)
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(edited, "[@Nor", 5))
        )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    labels = [i.label for i in items]
    assert labels[0] == "Nordlie-2009_e1000456"
    first = items[0]
    assert first.kind == types.CompletionItemKind.Reference
    assert isinstance(first.documentation, types.MarkupContent) and "Nordlie" in first.documentation.value
    assert isinstance(first.text_edit, types.TextEdit) and first.text_edit.new_text == "Nordlie-2009_e1000456"


async def test_latex_completion_and_convert_action(server_env: dict[str, str], celerite: Path) -> None:
    path = celerite / "ms.tex"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    start = text.index("\\citep{")
    end = text.index("}", start) + 1
    citation = text[start:end]
    async with running_server(server_env, celerite, init_options=CITATIONS_ONLY) as client:
        client.open(uri, text, "latex")
        published = await client.wait_for_publish(uri, version=1)
        assert [str(d.code) for d in published.diagnostics] == ["citations.unused-entry"]
        at = position_of(text, citation, len("\\citep{") + 1)
        actions = await code_actions_at(client, uri, types.Range(start=at, end=at), ["refactor"])
        convert = next(a for a in actions if a.title.startswith("Convert citation to pandoc"))
        assert convert.edit is not None
        converted = apply_workspace_edit(text, convert.edit, uri, 1)
        keys = [k.strip() for k in citation[len("\\citep{") : -1].split(",")]
        assert converted == text[:start] + "[" + "; ".join(f"@{k}" for k in keys) + "]" + text[end:]

        edited = text[:start] + "\\citep{Fore" + text[start + len("\\citep{") :]
        client.change(uri, 2, (None, edited))
        await client.wait_for_publish(uri, version=2)
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(edited, "\\citep{Fore", 11))
        )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    assert items and all(i.label.lower().startswith("fore") for i in items[:2])
    assert "Foreman-Mackey:2013" in [i.label for i in items]


async def test_insert_reference_list_in_markdown(server_env: dict[str, str], rescience: Path) -> None:
    path = rescience / "article.md"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    lines = text.split("\n")
    end = types.Position(line=len(lines) - 1, character=len(lines[-1]))
    async with running_server(server_env, rescience, init_options=CITATIONS_ONLY) as client:
        client.open(uri, text, "markdown")
        await client.wait_for_publish(uri, version=1)
        actions = await code_actions_at(client, uri, types.Range(start=end, end=end), ["refactor"])
        insert = next(a for a in actions if a.title.startswith("Insert the reference list"))
        assert insert.edit is None  # formatted only when picked
        resolved = await client.code_action_resolve_async(insert)
    assert resolved.edit is not None
    new_text = apply_workspace_edit(text, resolved.edit, uri, 1)
    added = new_text[len(text) :]
    assert new_text.startswith(text)
    assert "Compte, A., Sanchez-Vives, M. V., McCormick, D. A., & Wang, X.-J. (2003)." in added
    assert "Nordlie" not in added  # never cited


async def test_bib_document_checks_and_fixes(server_env: dict[str, str], workspace: Path) -> None:
    text = (
        "@article{gpu,\n  author = {Doe, Jane},\n  title = {Fast DNA sequencing on the GPU},\n"
        "  journal = {J},\n  year = {2020},\n  url = {https://doi.org/10.1000/abc}\n}\n"
    )
    path = workspace / "refs.bib"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    async with running_server(server_env, workspace, init_options=CITATIONS_ONLY) as client:
        client.open(uri, text, "bibtex")
        published = await client.wait_for_publish(uri, version=1)
        codes = sorted(str(d.code) for d in published.diagnostics)
        assert codes == ["citations.doi-in-url", "citations.unprotected-capitals", "citations.unprotected-capitals"]
        caps = next(d for d in published.diagnostics if d.code == "citations.unprotected-capitals")
        actions = await code_actions_at(client, uri, caps.range, ["quickfix"])
        protect_all = next(a for a in actions if a.title.startswith("Protect every capitalised word"))
        assert protect_all.edit is not None
        assert "title = {Fast {DNA} sequencing on the {GPU}}" in apply_workspace_edit(text, protect_all.edit, uri, 1)
        doi = next(d for d in published.diagnostics if d.code == "citations.doi-in-url")
        actions = await code_actions_at(client, uri, doi.range, ["quickfix"])
        # The plugin's "Move the DOI" edit is the finding's replacement: the core offers it once.
        move = next(a for a in actions if a.title == "Replace with 'doi = {10.1000/abc}'")
        assert move.is_preferred
        assert move.edit is not None
        assert "  doi = {10.1000/abc}\n}" in apply_workspace_edit(text, move.edit, uri, 1)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=rng(0, 10, 0, 10).start)
        )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "Doe, J. (2020). Fast DNA sequencing on the GPU." in hover.contents.value
