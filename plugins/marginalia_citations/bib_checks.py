"""Checks on a .bib file itself: each rule a small function over one entry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lsp_server.plugin import Finding, Severity
from marginalia_citations.bibfile import BibEntry, BibFile
from marginalia_citations.settings import CitationsSettings

# Required fields per type (BibTeX's standard styles, biblatex names accepted as
# alternatives): each inner tuple is "one of these".
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "booklet": (("title",),),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "conference": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "thesis": (("author",), ("title",), ("type",), ("institution", "school"), ("year", "date")),
    "proceedings": (("title",), ("year", "date")),
    "techreport": (("author",), ("title",), ("institution",), ("year", "date")),
    "report": (("author",), ("title",), ("type",), ("institution",), ("year", "date")),
    "unpublished": (("author",), ("title",), ("note",)),
    "online": (("author", "editor"), ("title",), ("year", "date"), ("url", "doi", "eprint")),
}
NOT_A_YEAR_OK = frozenset({"in press", "forthcoming", "submitted", "n.d."})
_DOI_URL = re.compile(r"^\s*(?:https?://)?(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+?)\s*$", re.I)
_YEAR = re.compile(r"^\s*\d{4}\s*$")


@dataclass(frozen=True)
class CapitalWord:
    start: int  # offset in the file's text
    end: int
    word: str


def _finding(start: int, end: int, rule: str, message: str, severity: Severity, replacements: tuple[str, ...] = (), data: dict[str, object] | None = None) -> Finding:
    return Finding(start, end, f"citations.{rule}", message, severity, replacements, "citations", data=data)


def missing_fields(bib: BibFile, entry: BibEntry) -> list[str]:
    missing = []
    for options in REQUIRED.get(entry.entry_type, ()):
        if not any(bib.value(entry, f) for f in options):
            missing.append(" or ".join(options))
    return missing


def doi_in_url(bib: BibFile, entry: BibEntry) -> str | None:
    """The DOI when the url field is only a doi.org link."""
    url = bib.value(entry, "url", inherit=False)
    if not url:
        return None
    m = _DOI_URL.match(url.replace("\\_", "_"))
    return m.group(1) if m else None


# --------------------------------------------------------------------------- capitals

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")


def _depth_zero_segments(value: str) -> Iterator[tuple[int, int]]:
    """Runs of ``value`` outside braces and outside command names."""
    depth = 0
    seg_start: int | None = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            if depth == 0 and seg_start is not None and seg_start < i:
                yield seg_start, i
            j = i + 1
            while j < len(value) and value[j].isalpha():
                j += 1
            i = max(j, i + 2)
            seg_start = i if depth == 0 else None
            continue
        if ch == "{":
            if depth == 0 and seg_start is not None and seg_start < i:
                yield seg_start, i
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
            if depth == 0:
                seg_start = i + 1
        i += 1
    if depth == 0 and seg_start is not None and seg_start < len(value):
        yield seg_start, len(value)


def _after_sentence_break(title: str, at: int) -> bool:
    """True at the title's start and after ``:``, ``?`` or ``!`` (BibTeX keeps those capitals)."""
    i = at - 1
    while i >= 0 and title[i] in " \t\n{}":
        i -= 1
    return i < 0 or title[i] in ":?!"


def unprotected_capitals(title: str) -> list[tuple[int, int, str]]:
    """Words BibTeX styles would lower-case although they look deliberate.

    Always: words with a capital after the first letter (DNA, GPU, McDonald,
    ZnO).  In a sentence-case title (most later words lower-case), also
    capitalised words after the first (Bayesian, Python): in a Title Case title
    capitals are just style, and lower-casing them is what the user wants.
    """
    uppers = sum(map(str.isupper, title))
    if uppers <= 1:
        return []
    letters = sum(map(str.isalpha, title))
    if letters >= 12 and uppers >= 0.8 * letters:
        return []  # a title typed in capitals: a data problem, not words to protect one by one
    words: list[tuple[int, int, str, bool]] = []  # (start, end, word, at a sentence start)
    for s, e in _depth_zero_segments(title):
        for m in _WORD.finditer(title, s, e):
            words.append((m.start(), m.end(), m.group(), _after_sentence_break(title, m.start())))
    later = [w for w in words if not w[3] and len(w[2]) > 1]
    # Acronyms say nothing about the title's style; Capitalised words do.
    capitalised = [w for w in later if w[2][0].isupper() and not any(map(str.isupper, w[2][1:]))]
    sentence_case = len(later) >= 3 and len(capitalised) * 3 <= len(later)
    out = []
    for start, end, word, first in words:
        inner_caps = any(map(str.isupper, word[1:]))
        if inner_caps or (sentence_case and not first and word[0].isupper() and len(word) > 1):
            out.append((start, end, word))
    return out


def capital_words(bib: BibFile, entry: BibEntry) -> list[CapitalWord]:
    span = bib.span(entry, "title")
    if span is None or span.value_end <= span.value_start:
        return []
    raw = bib.text[span.value_start : span.value_end]
    if len(raw) >= 2 and raw[0] in '{"' and raw[-1] in '}"':
        inner, offset = raw[1:-1], span.value_start + 1
    else:
        return []  # a macro or concatenation: nothing we can safely edit
    return [CapitalWord(offset + s, offset + e, w) for s, e, w in unprotected_capitals(inner)]


def protect_title_edit(bib: BibFile, entry: BibEntry) -> tuple[int, int, str] | None:
    """One edit that braces every flagged word of the title."""
    words = capital_words(bib, entry)
    if not words:
        return None
    start, end = words[0].start, words[-1].end
    parts = []
    pos = start
    for w in words:
        parts.append(bib.text[pos : w.start])
        parts.append("{" + w.word + "}")
        pos = w.end
    return start, end, "".join(parts)


def move_doi_edit(bib: BibFile, entry: BibEntry) -> tuple[int, int, str] | None:
    """Turn ``url = {https://doi.org/10.x/y}`` into ``doi = {10.x/y}`` (or drop it when a doi is there)."""
    doi = doi_in_url(bib, entry)
    span = bib.span(entry, "url")
    if doi is None or span is None:
        return None
    if bib.value(entry, "doi", inherit=False):
        # Remove the url field and the comma that separates it from its neighbour.
        text = bib.text
        end = span.value_end
        m = re.compile(r"\s*,").match(text, end)
        if m:
            return span.start, m.end(), ""
        prev = text.rfind(",", entry.key_start, span.start)
        return (prev if prev >= 0 else span.start), end, ""
    return span.start, span.value_end, "doi = {" + doi + "}"


# --------------------------------------------------------------------------- the file


def check_bib(bib: BibFile, settings: CitationsSettings) -> list[Finding]:
    out: list[Finding] = []
    text_len = len(bib.text)
    for p in bib.problems:
        line_end = bib.text.find("\n", p.start)
        end = min(p.end, line_end if line_end >= 0 else text_len)
        if p.kind == "encoding":
            out.append(_finding(0, min(text_len, max(0, bib.text.find("\n")) or 0), "bib-encoding", p.message, Severity.INFO))
        elif p.kind == "duplicate-field":
            out.append(_finding(p.start, max(end, p.start), "duplicate-field", p.message, Severity.WARNING))
        else:
            out.append(_finding(p.start, max(end, p.start), "bib-syntax", p.message, Severity.ERROR))
    if settings.check_duplicates:
        first: dict[str, BibEntry] = {}
        for e in bib.all_entries:
            if not e.key.strip():
                out.append(_finding(e.start, e.start + 1 + len(e.entry_type), "missing-key", f"@{e.entry_type} entry on line {e.line + 1} has no citation key", Severity.WARNING))
                continue
            prev = first.get(e.key.lower())
            if prev is None:
                first[e.key.lower()] = e
                continue
            same = "" if prev.key == e.key else f" (as {prev.key!r}: BibTeX keys ignore case)"
            s, t = e.key_span
            out.append(_finding(s, t, "duplicate-key", f"duplicate key {e.key!r}: already defined on line {prev.line + 1}{same}", Severity.WARNING, data={"other_line": prev.line}))
            s, t = prev.key_span
            out.append(_finding(s, t, "duplicate-key", f"key {prev.key!r} is defined again on line {e.line + 1}{same}", Severity.WARNING, data={"other_line": e.line}))
    for e in bib.all_entries:
        out.extend(check_entry(bib, e, settings))
    return out


def check_entry(bib: BibFile, e: BibEntry, settings: CitationsSettings) -> list[Finding]:
    out: list[Finding] = []
    ks, ke = e.key_span if e.key.strip() else (e.start, e.start + 1 + len(e.entry_type))
    if settings.check_required_fields:
        missing = missing_fields(bib, e)
        if missing:
            out.append(_finding(ks, ke, "missing-field", f"@{e.entry_type}{{{e.key}}} lacks required field{'s' if len(missing) > 1 else ''}: {', '.join(missing)}", Severity.WARNING))
    if settings.check_doi_in_url:
        doi = doi_in_url(bib, e)
        span = bib.span(e, "url")
        if doi and span is not None:
            has_doi = bool(bib.value(e, "doi", inherit=False))
            fix = () if has_doi else ("doi = {" + doi + "}",)
            msg = "the url is a DOI link: give it as doi = {" + doi + "}" + (" (the doi field is there already; drop the url)" if has_doi else "")
            out.append(_finding(span.start, span.value_end, "doi-in-url", msg, Severity.WARNING, fix, {"doi": doi}))
    if settings.check_year:
        span = bib.span(e, "year")
        year = bib.value(e, "year", inherit=False)
        plain = year.replace("{", "").replace("}", "").strip() if year is not None else ""
        if span is not None and year is not None and not _YEAR.match(plain) and plain.lower() not in NOT_A_YEAR_OK:
            out.append(_finding(span.value_start, span.value_end, "bad-year", f"year {plain!r} is not a four-digit year", Severity.WARNING))
    if settings.check_title_case:
        for w in capital_words(bib, e):
            out.append(_finding(w.start, w.end, "unprotected-capitals", f"{w.word!r} will be lower-cased by BibTeX styles: protect it with braces", Severity.INFO, ("{" + w.word + "}",)))
    return out
