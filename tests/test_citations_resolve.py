"""Completion of citation keys, resolved lazily: the highlighted item's documentation is the
reference in the configured CSL style, the same Markdown hover shows, on the celerite paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from marginalia_citations import CitationsPlugin, CitationsSettings
from marginalia_citations import plugin as citations_plugin

from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import CheckContext, Suggestion

KEY = "Ambikasaran:2015"
TYPED = "\\citep{Ambik"


@pytest.fixture(autouse=True)
def _private_bib_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parses of big .bib files go to a cache folder of the test's own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def paper(corpus_dir: Path) -> Path:
    return corpus_dir / "celerite-paper" / "paper"


def bib_fields(bib: Path, key: str) -> dict[str, str]:
    """The entry's fields read straight from the file, independently of the plugin's parser."""
    text = bib.read_text(encoding="utf-8")
    body = text[text.index("{" + key + ",") :]
    body = body[: body.index("\n@")]
    return {k.lower(): v for k, v in re.findall(r"^\s*([A-Za-z-]+)\s*=\s*\{(.*)\},?\s*$", body, re.M)}


def typed_in_citep(paper: Path) -> tuple[ProseDocument, int]:
    """ms.tex as the editor holds it with "Ambik" typed in its first \\citep{}; the file is only read."""
    path = paper / "ms.tex"
    text = path.read_text(encoding="utf-8")
    at = text.index("\\citep{")
    edited = text[:at] + TYPED + text[at + len("\\citep{") :]
    return ProseDocument(path.as_uri(), edited, "latex", 1, ()), at + len(TYPED)


def ctx(root: Path, style: str) -> CheckContext:
    return CheckContext(settings=CitationsSettings(style=style), workspace_root=root)


def suggestion(p: CitationsPlugin, doc: ProseDocument, offset: int, c: CheckContext) -> Suggestion:
    return next(s for s in p.complete(doc, offset, c) if s.label == KEY)


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_resolve_formats_the_highlighted_key_in_the_configured_style(paper: Path, style: str) -> None:
    fields = bib_fields(paper / "celerite.bib", KEY)
    given, family = fields["author"].split()
    p = CitationsPlugin()
    doc, offset = typed_in_citep(paper)
    c = ctx(paper, style)
    misses = citations_plugin._formatted.cache_info().misses
    s = suggestion(p, doc, offset, c)
    assert citations_plugin._formatted.cache_info().misses == misses  # completion itself formats nothing
    assert s.resolve_data == {"key": KEY}
    assert fields["title"] in s.documentation  # the quick summary, for clients without resolve

    md = p.resolve_suggestion(doc, s.resolve_data, c)

    assert md is not None and md != s.documentation
    if style == "apa":
        assert f"{family}, {given[0]}. ({fields['year']}). {fields['title']}." in md
        assert f"*{fields['journal']}*, *{fields['volume']}*({fields['number']})" in md
    else:
        assert f"{given[0]}. {family}, “{fields['title']},” *{fields['journal']}*, vol. {fields['volume']}" in md
        assert f"{fields['year']}, doi: {fields['doi']}." in md
    assert f"[doi:{fields['doi']}](https://doi.org/{fields['doi']})" in md
    # Exactly what hovering the key in a citation shows: one formatting path.
    cited = doc.source.index(KEY)
    assert md == p.hover(doc, cited + 1, c)


def test_resolving_again_is_served_from_the_cache(paper: Path) -> None:
    p = CitationsPlugin()
    doc, offset = typed_in_citep(paper)
    c = ctx(paper, "apa")
    s = suggestion(p, doc, offset, c)
    assert s.resolve_data is not None
    first = p.resolve_suggestion(doc, s.resolve_data, c)
    hits = citations_plugin._formatted.cache_info().hits
    assert p.resolve_suggestion(doc, s.resolve_data, c) == first
    assert citations_plugin._formatted.cache_info().hits == hits + 1
    ieee = p.resolve_suggestion(doc, s.resolve_data, ctx(paper, "ieee"))
    assert ieee is not None and ieee != first  # the style is part of the cache key


def test_unknown_or_missing_key_keeps_the_summary(paper: Path, tmp_path: Path) -> None:
    p = CitationsPlugin()
    doc, _ = typed_in_citep(paper)
    c = ctx(paper, "apa")
    assert p.resolve_suggestion(doc, {"key": "No:such-key"}, c) is None
    assert p.resolve_suggestion(doc, {}, c) is None
    plain = ProseDocument((tmp_path / "notes.txt").as_uri(), f"see {KEY}", "plaintext", 1, ())
    assert p.resolve_suggestion(plain, {"key": KEY}, c) is None
