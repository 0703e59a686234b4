"""BibTeX/biblatex entries to CSL-JSON, the input of every CSL processor.

Names are split by bibtexparser's implementation of BibTeX's rules (First von
Last, von Last, First, von Last, Jr, First); a name that is one braced group,
``{World Health Organization}``, is a corporate author and stays whole.
"""

from __future__ import annotations

import re
from typing import Any

from marginalia_citations.bibfile import MONTHS, BibEntry, BibFile
from marginalia_citations.latex_text import latex_to_text

# BibTeX/biblatex type -> CSL type (pandoc's mapping, kept within CSL 1.0.1 for citeproc-py).
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "collection": "book",
    "manual": "book",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "dataset": "dataset",
    "misc": "article",
    "software": "article",
}
THESIS_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# babel/biblatex language names -> BCP 47: styles title-case English titles only.
LANGUAGES = {
    "english": "en-US", "american": "en-US", "british": "en-GB", "french": "fr-FR", "german": "de-DE",
    "ngerman": "de-DE", "spanish": "es-ES", "italian": "it-IT", "portuguese": "pt-PT", "brazil": "pt-BR",
    "dutch": "nl-NL", "swedish": "sv-SE", "danish": "da-DK", "norwegian": "nb-NO", "finnish": "fi-FI",
    "polish": "pl-PL", "russian": "ru-RU", "czech": "cs-CZ", "greek": "el-GR", "japanese": "ja-JP", "chinese": "zh-CN",
}  # fmt: skip

# CSL variable <- BibTeX fields, first present wins.
SIMPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "collection-title": ("series",),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "edition": ("edition",),
    "publisher-place": ("address", "location"),
    "ISBN": ("isbn",),
    "ISSN": ("issn",),
    "note": ("note",),
    "number-of-pages": ("pagetotal",),
    "chapter-number": ("chapter",),
}


def _person(name: str) -> dict[str, str]:
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    stripped = name.strip()
    if stripped.startswith("{") and stripped.endswith("}") and _balanced_single_group(stripped):
        return {"literal": latex_to_text(stripped)}
    try:
        parts = parse_single_name_into_parts(stripped, strict=False)
    except InvalidNameError:
        return {"literal": latex_to_text(stripped)}
    out: dict[str, str] = {}
    if parts.last:
        out["family"] = latex_to_text(" ".join(parts.last))
    if parts.first:
        out["given"] = latex_to_text(" ".join(parts.first))
    if parts.von:
        out["non-dropping-particle"] = latex_to_text(" ".join(parts.von))
    if parts.jr:
        out["suffix"] = latex_to_text(" ".join(parts.jr))
    if "family" not in out:
        return {"literal": latex_to_text(stripped)}
    return out


def _balanced_single_group(text: str) -> bool:
    """True for ``{A B}`` but not ``{A} and {B}`` or ``{A} B``."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def names(value: str) -> list[dict[str, str]]:
    """A BibTeX name list; ``and others`` is dropped (styles add et al. themselves)."""
    # bibtexparser is imported where it is first needed, not when the plugin loads.
    from bibtexparser.middlewares.names import split_multiple_persons_names

    out = []
    for person in split_multiple_persons_names(value):
        if person.strip().lower() == "others" or not person.strip():
            continue
        out.append(_person(person))
    return out


_DATE = re.compile(r"^\s*(\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_MONTH_NAMES = {v.lower(): i + 1 for i, v in enumerate(MONTHS.values())}


def _month_number(value: str) -> int | None:
    v = value.strip().lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    if v in _MONTH_NAMES:
        return _MONTH_NAMES[v]
    for full, n in _MONTH_NAMES.items():
        if len(v) >= 3 and full.startswith(v):
            return n
    return None


def issued(bib: BibFile, entry: BibEntry) -> dict[str, Any] | None:
    date = bib.value(entry, "date")
    if date:
        m = _DATE.match(latex_to_text(date))
        if m:
            parts = [int(g) for g in m.groups() if g]
            return {"date-parts": [parts]}
    year = bib.value(entry, "year")
    if not year:
        return None
    text = latex_to_text(year)
    m = re.search(r"\d{4}", text)
    if not m:
        return {"literal": text}
    parts = [int(m.group())]
    month = bib.value(entry, "month")
    if month and (n := _month_number(latex_to_text(month))) is not None:
        parts.append(n)
    return {"date-parts": [parts]}


def _container(bib: BibFile, entry: BibEntry) -> str | None:
    for name in ("journaltitle", "journal", "booktitle"):
        v = bib.decoded(entry, name)
        if v:
            return v
    return None


def _doi(value: str) -> str:
    v = value.strip()
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", v, flags=re.I)


def to_csl(bib: BibFile, entry: BibEntry) -> dict[str, Any]:
    """One entry as a CSL-JSON item (``id`` is the citation key)."""
    item: dict[str, Any] = {"id": entry.key, "type": CSL_TYPES.get(entry.entry_type, "article")}
    for role in ("author", "editor", "translator"):
        v = bib.value(entry, role)
        if v:
            people = names(v)
            if people:
                item[role] = people
    for var, fields in SIMPLE_FIELDS.items():
        for f in fields:
            v = bib.decoded(entry, f)
            if v:
                item[var] = v
                break
    subtitle = bib.decoded(entry, "subtitle")
    if subtitle and "title" in item:
        item["title"] = f"{item['title']}: {subtitle}"
    container = _container(bib, entry)
    if container:
        item["container-title"] = container
    publisher = bib.decoded(entry, "publisher")
    if entry.entry_type in ("phdthesis", "mastersthesis", "thesis"):
        publisher = bib.decoded(entry, "school") or bib.decoded(entry, "institution") or publisher
        genre = THESIS_GENRE.get(entry.entry_type) or bib.decoded(entry, "type")
        if genre:
            item["genre"] = genre
    elif entry.entry_type in ("techreport", "report"):
        publisher = bib.decoded(entry, "institution") or publisher
        if bib.decoded(entry, "type"):
            item["genre"] = bib.decoded(entry, "type")
    elif not publisher and entry.entry_type == "manual":
        publisher = bib.decoded(entry, "organization")
    if publisher:
        item["publisher"] = publisher
    pages = bib.decoded(entry, "pages")
    if pages:
        item["page"] = re.sub(r"\s*[-‐‑‒–—]+\s*", "-", pages)
    date = issued(bib, entry)
    if date:
        item["issued"] = date
    doi = bib.value(entry, "doi")
    if doi:
        item["DOI"] = _doi(latex_to_text(doi))
    lang = bib.decoded(entry, "langid") or bib.decoded(entry, "language")
    if lang:
        code = LANGUAGES.get(lang.strip().lower())
        if code is None and re.fullmatch(r"[a-z]{2}(?:-[A-Z]{2})?", lang.strip()):
            code = lang.strip()
        if code:
            item["language"] = code
    url = bib.value(entry, "url")
    if url:
        item["URL"] = latex_to_text(url).replace(" ", "")
    return item
