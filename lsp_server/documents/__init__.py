"""Turn a buffer into prose chunks with an exact offset map, by language."""

from __future__ import annotations

from pathlib import PurePath

from lsp_server.config import LatexSettings
from lsp_server.documents.model import Chunk, Piece, PieceKind, ProseBuilder, ProseDocument

# File suffix -> LSP language id.
SUFFIX_LANGUAGE = {
    ".tex": "latex",
    ".ltx": "latex",
    ".sty": "latex",
    ".cls": "latex",
    ".md": "markdown",
    ".markdown": "markdown",
    ".qmd": "quarto",
    ".rmd": "rmarkdown",
    ".txt": "plaintext",
    ".text": "plaintext",
    ".bib": "bibtex",
}
# Editors use several ids for the same thing.
LANGUAGE_ALIASES = {"tex": "latex", "plaintex": "latex", "context": "latex", "md": "markdown", "qmd": "quarto", "text": "plaintext", "rmd": "rmarkdown", "r-markdown": "rmarkdown"}
PROSE_LANGUAGES = frozenset({"latex", "markdown", "quarto", "rmarkdown", "plaintext"})


def language_for_path(path: str | PurePath) -> str | None:
    return SUFFIX_LANGUAGE.get(PurePath(str(path)).suffix.lower())


def normalize_language_id(language_id: str | None, path: str | PurePath | None = None) -> str:
    lid = (language_id or "").lower()
    lid = LANGUAGE_ALIASES.get(lid, lid)
    if lid in PROSE_LANGUAGES or lid == "bibtex":
        return lid
    by_path = language_for_path(path) if path is not None else None
    return by_path or "plaintext"


def parse_document(
    source: str,
    language_id: str,
    uri: str = "",
    version: int | None = None,
    latex: LatexSettings | None = None,
) -> ProseDocument:
    """Parse ``source``; never raises on malformed markup (problems go to ``markup_notes``)."""
    if language_id == "latex":
        from lsp_server.documents.latex import parse_latex

        return parse_latex(source, uri, version, latex or LatexSettings())
    if language_id in ("markdown", "quarto", "rmarkdown"):
        if uri:
            # Keeps the last parse per URI: an edit re-parses the blocks around it, not the book.
            from lsp_server.documents.markdown_cache import parse_markdown_cached

            return parse_markdown_cached(source, uri, version, flavor=language_id)
        from lsp_server.documents.markdown import parse_markdown

        return parse_markdown(source, uri, version, flavor=language_id)
    if language_id == "bibtex":
        # .bib files carry no prose to check; citation plugins read them themselves.
        return ProseBuilder(source).build(uri, "bibtex", version)
    from lsp_server.documents.plaintext import parse_plaintext

    return parse_plaintext(source, uri, version)


__all__ = [
    "Chunk",
    "Piece",
    "PieceKind",
    "ProseBuilder",
    "ProseDocument",
    "language_for_path",
    "normalize_language_id",
    "parse_document",
]
