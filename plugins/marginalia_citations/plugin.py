"""The citations plugin: checks, completion, hover and code actions."""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import Action, CheckContext, Finding, Plugin, Severity, Suggestion
from marginalia_citations import bib_checks, convert, sources
from marginalia_citations.bibfile import BibCache, BibEntry, BibFile
from marginalia_citations.cites import (
    CiteGroup,
    CiteKey,
    all_keys,
    find_citations,
    is_crossref,
    key_at,
    latex_command_pattern,
    mask_markdown,
)
from marginalia_citations.csl_json import to_csl
from marginalia_citations.key_catalog import CatalogCache
from marginalia_citations.latex_text import quick_text
from marginalia_citations.name_words import name_words
from marginalia_citations.search import Indexed, SearchIndex
from marginalia_citations.settings import CitationsSettings

MARKDOWN_LANGS = frozenset({"markdown", "quarto", "rmarkdown"})
MAX_UNUSED_LISTED = 30
MAX_COMPLETIONS = 100


@dataclass
class Bibliographies:
    """What a document cites from: parsed files, with where each was declared."""

    files: list[tuple[sources.Declared, BibFile]] = field(default_factory=list)
    missing: list[sources.Declared] = field(default_factory=list)
    own: bool = False  # declared by the document itself (not borrowed from its root)

    @property
    def bibs(self) -> list[BibFile]:
        return [b for _, b in self.files]

    def lookup(self, key: str) -> tuple[BibFile, BibEntry] | None:
        for bib in self.bibs:
            e = bib.entries.get(key)
            if e is not None:
                return bib, e
        return None

    def keys(self) -> set[str]:
        return {k for b in self.bibs for k in b.entries}


def _settings(ctx: CheckContext) -> CitationsSettings:
    return ctx.settings if isinstance(ctx.settings, CitationsSettings) else CitationsSettings()


def _finding(start: int, end: int, rule: str, message: str, severity: Severity, replacements: Sequence[str] = (), data: dict[str, Any] | None = None) -> Finding:
    return Finding(start, end, f"citations.{rule}", message, severity, tuple(replacements), "citations", data=data)


def _bibliography_inputs(ctx: CheckContext) -> tuple[object, ...]:
    """Besides the document, what decides which bibliographies it has."""
    return (ctx.workspace_root, tuple(_settings(ctx).bibliography))


def _where(bib: BibFile, entry: BibEntry) -> str:
    return f"{Path(bib.path).name}:{entry.line + 1}"


class CitationsPlugin(Plugin):
    name = "citations"
    Settings = CitationsSettings
    languages = frozenset({"latex", "markdown", "quarto", "rmarkdown", "bibtex"})

    def __init__(self) -> None:
        self.cache = BibCache()
        self._indexes: OrderedDict[tuple[int, ...], SearchIndex] = OrderedDict()
        self._scans: OrderedDict[str, tuple[int, list[CiteGroup]]] = OrderedDict()  # uri -> (fingerprint, scan)
        self._catalogs = CatalogCache()
        self._handed_on: tuple[ProseDocument, tuple[object, ...], Bibliographies] | None = None
        # Bibliographies (by identity of their parses) -> the name words of their authors.
        self._names: OrderedDict[tuple[int, ...], tuple[tuple[BibFile, ...], frozenset[str]]] = OrderedDict()
        self._lock = threading.Lock()

    # -- shared pieces ---------------------------------------------------------
    def citations(self, doc: ProseDocument, settings: CitationsSettings) -> list[CiteGroup]:
        """The document's citations, scanned once per version.  Only the latest scan of each
        URI is kept: older versions are never asked for again, and keeping dozens of versions
        of a book's scans made the collector's full passes cost 100 ms every few keystrokes."""
        fingerprint = hash((doc.source, doc.language_id, tuple(settings.citation_commands)))
        with self._lock:
            hit = self._scans.get(doc.uri)
        if hit is not None and hit[0] == fingerprint:
            return hit[1]
        groups = find_citations(doc.source, doc.language_id, settings.citation_commands)
        with self._lock:
            self._scans[doc.uri] = (fingerprint, groups)
            self._scans.move_to_end(doc.uri)
            while len(self._scans) > 64:
                self._scans.popitem(last=False)
        return groups

    def _hand_on(self, doc: ProseDocument, ctx: CheckContext, found: Bibliographies) -> None:
        """Keep what :meth:`document_words` found for the :meth:`check_document` of the same check,
        which saves a second scan of a book's source per keystroke."""
        with self._lock:
            self._handed_on = (doc, _bibliography_inputs(ctx), found)

    def _taken_over(self, doc: ProseDocument, ctx: CheckContext) -> Bibliographies | None:
        """What :meth:`_hand_on` kept for this very document object, once: a later check of the
        same buffer (a .bib was saved meanwhile) looks again."""
        with self._lock:
            kept, self._handed_on = self._handed_on, None
        if kept is not None and kept[0] is doc and kept[1] == _bibliography_inputs(ctx):
            return kept[2]
        return None

    def bibliographies(self, doc: ProseDocument, ctx: CheckContext) -> Bibliographies:
        settings = _settings(ctx)
        root = ctx.workspace_root
        doc_path = sources.uri_to_path(doc.uri)
        base = doc_path.parent if doc_path is not None else None
        declared = sources.declared_in(doc.source, doc.language_id, doc.meta)
        if not declared and doc.language_id == "latex" and doc_path is not None and doc_path.is_file():
            # Declared in a file this one includes (a preamble): still the document's own.
            at = _bibliography_command(doc.source)
            declared = [sources.Declared(d.name, *at, base=d.base) for d in sources.tree_declarations(doc_path, root)]
        out = Bibliographies(own=bool(declared))
        if not declared and doc.language_id == "quarto" and doc_path is not None:
            # Shared by the project's files: none of them alone cites every entry.
            declared = sources.quarto_project_declarations(doc_path, root)
        if not declared and doc.language_id == "latex" and doc_path is not None:
            main = sources.find_root_document(doc_path, doc.source, root)
            if main is not None:
                declared = sources.tree_declarations(main, root)
        declared += sources.settings_declarations(settings.bibliography)
        seen: set[Path] = set()
        for d in declared:
            path = sources.resolve_bib_path(d.name, d.base or (None if d.from_settings else base), root, allow_outside=d.from_settings)
            if path is None and d.base is None and not d.from_settings and doc.language_id == "latex" and doc_path is not None:
                # A preamble \input by main.tex names its .bib from main.tex's folder, where LaTeX runs.
                main = sources.find_root_document(doc_path, doc.source, root)
                if main is not None and main.parent != doc_path.parent.resolve():
                    path = sources.resolve_bib_path(d.name, main.parent, root)
            if path is None:
                out.missing.append(d)
                continue
            if path in seen:
                continue
            seen.add(path)
            out.files.append((d, self.cache.load(path)))
        return out

    def index(self, bibs: Sequence[BibFile]) -> SearchIndex:
        key = tuple(id(b) for b in bibs)
        with self._lock:
            hit = self._indexes.get(key)
            if hit is not None:
                self._indexes.move_to_end(key)
                return hit
        built = SearchIndex(bibs)
        with self._lock:
            self._indexes[key] = built
            while len(self._indexes) > 8:
                self._indexes.popitem(last=False)
        return built

    def document_words(self, doc: ProseDocument, ctx: CheckContext) -> frozenset[str]:
        """Names of the authors and editors in the document's bibliographies: the spell checker
        accepts "Rybicki" in a paper that cites Rybicki.  The same set while the files are unchanged."""
        if doc.language_id != "latex" and doc.language_id not in MARKDOWN_LANGS:
            return frozenset()
        found = self.bibliographies(doc, ctx)
        self._hand_on(doc, ctx, found)
        bibs = tuple(b for _, b in found.files)
        key = tuple(id(b) for b in bibs)
        with self._lock:
            hit = self._names.get(key)
            if hit is not None and all(a is b for a, b in zip(hit[0], bibs, strict=True)):
                self._names.move_to_end(key)
                return hit[1]
        words = name_words(bibs)
        with self._lock:
            self._names[key] = (bibs, words)
            while len(self._names) > 8:
                self._names.popitem(last=False)
        return words

    # -- checks ----------------------------------------------------------------
    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        settings = _settings(ctx)
        if doc.language_id == "bibtex":
            return bib_checks.check_bib(self.cache.parse_buffer(doc.uri, doc.source), settings)
        if doc.language_id != "latex" and doc.language_id not in MARKDOWN_LANGS:
            return []
        bibs = self._taken_over(doc, ctx) or self.bibliographies(doc, ctx)
        out: list[Finding] = []
        for d in bibs.missing:
            if not d.from_settings:
                out.append(_finding(d.start, d.end, "missing-bibliography", f"bibliography {d.name!r} not found inside the workspace", Severity.WARNING))
            else:
                out.append(_finding(0, 0, "missing-bibliography", f"bibliography {d.name!r} from the citations.bibliography setting not found", Severity.WARNING))
        if not bibs.files:
            # No bibliography: "@name" in Markdown is not a citation, and in a LaTeX
            # fragment we cannot know what is defined.
            return out
        out.extend(self._file_problems(bibs))
        groups = self.citations(doc, settings)
        keys = all_keys(groups)
        if settings.check_undefined:
            out.extend(self._undefined(keys, bibs))
        if settings.check_duplicates:
            out.extend(self._duplicates_across(bibs))
        if settings.check_unused and bibs.own:
            out.extend(self._unused(doc, keys, bibs, settings, ctx))
        return out

    @staticmethod
    def _file_problems(bibs: Bibliographies) -> list[Finding]:
        """What went wrong reading each bibliography, said once where it is declared."""
        out = []
        for d, bib in bibs.files:
            name = Path(bib.path).name
            broken = [p.line + 1 for p in bib.problems if p.kind == "syntax"]
            if broken:
                lines = ", ".join(map(str, broken[:10])) + (", …" if len(broken) > 10 else "")
                out.append(_finding(d.start, d.end, "bib-problems", f"{name}: {len(broken)} broken entr{'y' if len(broken) == 1 else 'ies'} skipped (line{'s' if len(broken) > 1 else ''} {lines})", Severity.WARNING))
            for p in bib.problems:
                if p.kind in ("encoding", "too-large"):
                    out.append(_finding(d.start, d.end, "bib-problems", p.message, Severity.INFO if p.kind == "encoding" else Severity.WARNING))
        return out

    def _undefined(self, keys: Sequence[CiteKey], bibs: Bibliographies) -> list[Finding]:
        catalog = self._catalogs.get(bibs.bibs)
        defined = catalog.defined
        out = []
        for k in keys:
            if k.key in defined or k.key == "*":
                continue
            close = catalog.suggestions(k.key)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(_finding(k.start, k.end, "undefined-key", f"citation key {k.key!r} is not defined in {catalog.file_names}{hint}", Severity.ERROR, close, {"key": k.key}))
        return out

    @staticmethod
    def _duplicates_across(bibs: Bibliographies) -> list[Finding]:
        first: dict[str, tuple[sources.Declared, BibFile, BibEntry]] = {}
        out = []
        for d, bib in bibs.files:
            for key, e in bib.entries.items():
                prev = first.get(key)
                if prev is None:
                    first[key] = (d, bib, e)
                    continue
                if prev[1] is bib:
                    continue
                out.append(_finding(d.start, d.end, "duplicate-key", f"key {key!r} is defined in both {_where(prev[1], prev[2])} and {_where(bib, e)}; the first one is used", Severity.WARNING, data={"key": key}))
        return out

    def _unused(self, doc: ProseDocument, keys: Sequence[CiteKey], bibs: Bibliographies, settings: CitationsSettings, ctx: CheckContext) -> list[Finding]:
        cited = {k.key for k in keys}
        if doc.language_id == "latex":
            if _cites_everything(doc.source):
                return []
            doc_path = sources.uri_to_path(doc.uri)
            if doc_path is not None and doc_path.is_file():
                # A thesis cites from its chapters: count what the included files cite.
                elsewhere = sources.TREE_CACHE.get(
                    ("cited", str(doc_path), str(ctx.workspace_root), tuple(settings.citation_commands)),
                    lambda: _cited_in_tree(doc_path, ctx.workspace_root, settings.citation_commands),
                )
                if elsewhere is None:
                    return []
                cited |= elsewhere
        else:
            nocite = _front_matter_nocite(doc.source)
            if "*" in nocite:
                return []
            cited |= nocite
        out = []
        data = {"editor_only": not settings.unused_in_lint}
        for d, bib in bibs.files:
            if d.from_settings:
                continue  # a shared bibliography: most of it is cited elsewhere
            unused = [e for k, e in bib.entries.items() if k not in cited]
            if not unused:
                continue
            if len(unused) > MAX_UNUSED_LISTED:
                names = ", ".join(e.key for e in unused[:10])
                out.append(_finding(d.start, d.end, "unused-entry", f"{len(unused)} entries of {Path(bib.path).name} are never cited ({names}, …)", Severity.HINT, data=data))
                continue
            for e in unused:
                out.append(_finding(d.start, d.end, "unused-entry", f"entry {e.key!r} ({_where(bib, e)}) is never cited", Severity.HINT, data={**data, "key": e.key}))
        return out

    # -- quick fixes and code actions -----------------------------------------
    def actions(self, doc: ProseDocument, finding: Finding, ctx: CheckContext) -> Iterable[Action]:
        if doc.language_id != "bibtex":
            return []
        bib = self.cache.parse_buffer(doc.uri, doc.source)
        entry = _entry_at(bib, finding.start)
        if entry is None:
            return []
        out = []
        if finding.rule == "citations.unprotected-capitals":
            edit = bib_checks.protect_title_edit(bib, entry)
            if edit is not None:
                out.append(Action(f"Protect every capitalised word in the title of {entry.key}", edit=edit))
        if finding.rule == "citations.doi-in-url":
            edit = bib_checks.move_doi_edit(bib, entry)
            if edit is not None:
                out.append(Action("Move the DOI from url to doi", edit=edit, preferred=True))
        return out

    def range_actions(self, doc: ProseDocument, start: int, end: int, ctx: CheckContext) -> Iterable[Action]:
        settings = _settings(ctx)
        if doc.language_id == "bibtex":
            return self._bib_range_actions(doc, start, end)
        out: list[Action] = []
        if doc.language_id == "latex":
            for r in convert.latex_replacements(doc.source, settings.citation_commands, start, end)[:20]:
                out.append(Action(f"Convert citation to pandoc: {r.text}", edit=(r.start, r.end, r.text), kind="refactor.rewrite"))
        elif doc.language_id in MARKDOWN_LANGS:
            if not self.bibliographies(doc, ctx).files and not _looks_like_citation_at(doc.source, start, end):
                return out
            for r in convert.markdown_replacements(doc.source, "natbib", start, end)[:20]:
                out.append(Action(f"Convert citation to LaTeX (natbib): {r.text}", edit=(r.start, r.end, r.text), kind="refactor.rewrite"))
            for r in convert.markdown_replacements(doc.source, "biblatex", start, end)[:20]:
                out.append(Action(f"Convert citation to LaTeX (biblatex): {r.text}", edit=(r.start, r.end, r.text), kind="refactor.rewrite"))
            if start == end and self.bibliographies(doc, ctx).files:
                out.append(Action(f"Insert the reference list ({settings.style}) here", kind="refactor", data={"citations": "insert-references", "offset": start}))
        return out

    def _bib_range_actions(self, doc: ProseDocument, start: int, end: int) -> list[Action]:
        bib = self.cache.parse_buffer(doc.uri, doc.source)
        out = []
        for e in bib.all_entries:
            if e.end < start or e.start > end:
                continue
            edit = bib_checks.protect_title_edit(bib, e)
            if edit is not None:
                out.append(Action(f"Protect capitalised title words of {e.key} with braces", edit=edit, kind="quickfix"))
            edit = bib_checks.move_doi_edit(bib, e)
            if edit is not None:
                out.append(Action(f"Move the DOI of {e.key} from url to doi", edit=edit, kind="quickfix"))
        return out[:20]

    def resolve_action(self, doc: ProseDocument, action: Action, ctx: CheckContext) -> Action | None:
        data = action.data if isinstance(action.data, dict) else {}
        if data.get("citations") != "insert-references":
            return action
        offset = int(data.get("offset", 0))
        text = self.reference_list(doc, ctx, "markdown")
        if not text:
            raise ValueError("no cited key is defined in the bibliography: nothing to insert")
        return Action(action.title, edit=(offset, offset, text), kind=action.kind)

    def reference_list(self, doc: ProseDocument, ctx: CheckContext, fmt: str) -> str:
        """The formatted references of every key the document cites, in the style's order."""
        # citeproc-py and lxml are imported on first use: ~0.1 s of start-up otherwise.
        from marginalia_citations.formatting import StyleError, format_references, join_references

        settings = _settings(ctx)
        bibs = self.bibliographies(doc, ctx)
        items = []
        seen: set[str] = set()
        for k in all_keys(self.citations(doc, settings)):
            if k.key in seen:
                continue
            seen.add(k.key)
            hit = bibs.lookup(k.key)
            if hit is not None:
                items.append(to_csl(*hit))
        try:
            refs = format_references(items, settings.style, fmt, ctx.workspace_root)
        except StyleError as exc:
            raise ValueError(str(exc)) from exc
        return join_references(refs, fmt)

    # -- completion and hover --------------------------------------------------
    def complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        settings = _settings(ctx)
        where = completion_context(doc, offset, settings)
        if where is None:
            return []
        start, end, prefix = where
        bibs = self.bibliographies(doc, ctx)
        if not bibs.files:
            return []
        hits = self.index(bibs.bibs).search(prefix, MAX_COMPLETIONS)
        out = []
        for rank, it in enumerate(hits):
            # citeproc-py takes ~0.1 s per reference: each item carries a quick summary,
            # and resolve_suggestion formats the one the user highlights in the CSL style.
            doc_md = _summary(it)
            out.append(
                Suggestion(
                    label=it.entry.key,
                    text=it.entry.key,
                    start=start,
                    end=end,
                    detail=_detail(it),
                    documentation=doc_md,
                    kind="reference",
                    filter_text=f"{it.entry.key} {it.authors.strip()} {it.year} {it.title.strip()}",
                    sort_text=f"{rank:04d}",
                    resolve_data={"key": it.entry.key},
                )
            )
        return out

    def resolve_suggestion(self, doc: ProseDocument, data: Mapping[str, str], ctx: CheckContext) -> str | None:
        """The highlighted key's reference as hover shows it; None keeps the summary (key gone since)."""
        key = data.get("key")
        if not key or (doc.language_id != "latex" and doc.language_id not in MARKDOWN_LANGS):
            return None
        hit = self.bibliographies(doc, ctx).lookup(key)
        return self._reference_markdown(*hit, _settings(ctx), ctx) if hit is not None else None

    def hover(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> str | None:
        settings = _settings(ctx)
        if doc.language_id == "bibtex":
            bib = self.cache.parse_buffer(doc.uri, doc.source)
            entry = _entry_at(bib, offset)
            if entry is None or not (entry.key_start <= offset <= entry.key_start + len(entry.key)):
                return None
            return self._reference_markdown(bib, entry, settings, ctx)
        if doc.language_id != "latex" and doc.language_id not in MARKDOWN_LANGS:
            return None
        k = key_at(self.citations(doc, settings), offset)
        if k is None:
            return None
        bibs = self.bibliographies(doc, ctx)
        if not bibs.files:
            return None
        hit = bibs.lookup(k.key)
        if hit is None:
            names = ", ".join(Path(b.path).name for b in bibs.bibs)
            return f"`{k.key}` is not defined in {names}."
        return self._reference_markdown(*hit, settings, ctx)

    def _reference_markdown(self, bib: BibFile, entry: BibEntry, settings: CitationsSettings, ctx: CheckContext) -> str:
        from marginalia_citations.formatting import StyleError  # citeproc-py: imported on first use

        item = to_csl(bib, entry)
        try:
            body = _formatted(json.dumps(item, sort_keys=True), settings.style, str(ctx.workspace_root))
        except StyleError as exc:
            body = f"{_plain_reference(item)}\n\n_(style: {exc})_"
        except Exception as exc:  # noqa: BLE001
            body = f"{_plain_reference(item)}\n\n_(citeproc-py failed: {type(exc).__name__})_"
        lines = [f"**{entry.key}** · @{entry.entry_type} · {_where(bib, entry)}", "", body]
        if "DOI" in item:
            lines += ["", f"[doi:{item['DOI']}](https://doi.org/{item['DOI']})"]
        elif "URL" in item:
            lines += ["", f"<{item['URL']}>"]
        return "\n".join(lines)

    def status(self) -> tuple[bool, str]:
        from marginalia_citations.formatting import BUNDLED_STYLES, STYLES_DIR

        missing = sorted({f for f in BUNDLED_STYLES.values() if not (STYLES_DIR / f).is_file()})
        if missing:
            return False, f"bundled CSL styles missing: {', '.join(missing)}"
        return True, "ready: bibtexparser, citeproc-py, styles apa, ieee, chicago, mla, vancouver"


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=2048)
def _formatted(item_json: str, style: str, root: str) -> str:
    """One reference in Markdown, cached: citeproc-py needs ~0.1 s for an APA entry."""
    from marginalia_citations.formatting import format_one  # citeproc-py and lxml: ~0.1 s to import

    return format_one(json.loads(item_json), style, "markdown", Path(root) if root != "None" else None)


def _cited_in_tree(main: Path, root: Path | None, commands: Sequence[str]) -> frozenset[str] | None:
    """Keys cited by the files ``main`` includes; None when one says \\nocite{*}."""
    cited: set[str] = set()
    for _path, text in sources.included_sources(main, root, skip=main.resolve()):
        if _cites_everything(text):
            return None
        cited.update(k.key for k in all_keys(find_citations(text, "latex", commands)))
    return frozenset(cited)


_NOCITE_ALL = re.compile(r"\\nocite\s*\{\s*\*\s*\}")


def _cites_everything(source: str) -> bool:
    """``\\nocite{*}`` anywhere (a substring test first: the pattern alone scans a book in 2 ms per edit)."""
    return "\\nocite" in source and _NOCITE_ALL.search(source) is not None


def _bibliography_command(source: str) -> tuple[int, int]:
    """Where findings about bibliographies declared elsewhere point: \\printbibliography."""
    m = re.search(r"\\(?:printbibliography|bibliography|bibliographystyle)\b", source)
    return (m.start(), m.end()) if m else (0, 0)


def _entry_at(bib: BibFile, offset: int) -> BibEntry | None:
    for e in bib.all_entries:
        if e.start <= offset <= e.end:
            return e
    return None


def _front_matter_nocite(source: str) -> set[str]:
    fm = sources.FRONT_MATTER.match(source)
    if not fm:
        return set()
    m = re.search(r"^nocite:\s*(?:[|>][-+]?\s*)?((?:.*\n?)(?:[ \t]+.*\n?)*)", fm.group(1), re.M)
    if not m:
        return set()
    return set(re.findall(r"@(\*|[\w][\w:.#$%&\-+?<>~/]*)", m.group(1)))


def _looks_like_citation_at(source: str, start: int, end: int) -> bool:
    return "@" in source[max(0, start - 200) : end + 200]


_MD_BEFORE = re.compile(r"(?<![\w@.+\-\\])-?@(\{[^{}\n]*|[\w:.#$%&\-+?<>~/]*)$")
_KEY_AFTER = re.compile(r"[\w:.#$%&\-+?<>~/]*")


def completion_context(doc: ProseDocument, offset: int, settings: CitationsSettings) -> tuple[int, int, str] | None:
    """(start, end, typed prefix) when ``offset`` is where a citation key goes."""
    source = doc.source
    if not 0 <= offset <= len(source):
        return None
    line_start = source.rfind("\n", 0, offset) + 1
    if doc.language_id == "latex":
        before = source[max(0, offset - 600) : offset]
        last_line = source[line_start:offset]
        if re.search(r"(?<!\\)%", last_line):
            return None
        names = latex_command_pattern(settings.citation_commands).pattern
        rx = re.compile(names + r"(?:\s*\([^()\n]*\))*(?:\s*(?:\[[^\[\]\n]*\]|\{[^{}\n]*\}))*\s*\{(?P<inside>[^{}]*)$")
        m = rx.search(before)
        if m is None:
            return None
        prefix = m.group("inside").split(",")[-1].lstrip()
        after = re.match(r"[^,}\s]*", source[offset:])
        return offset - len(prefix), offset + (after.end() if after else 0), prefix
    if doc.language_id in MARKDOWN_LANGS:
        m = _MD_BEFORE.search(source[line_start:offset])
        if m is None:
            return None
        at = line_start + m.start() + (1 if source[line_start + m.start()] == "-" else 0)
        masked = mask_markdown(source)
        if masked[at] != "@":
            return None  # in code, math, a comment or the front matter
        prefix = m.group(1).lstrip("{")
        if is_crossref(prefix):
            return None
        after = _KEY_AFTER.match(source, offset)
        return offset - len(prefix), offset + (after.end() - offset if after else 0), prefix
    return None


def _names(it: Indexed) -> str:
    authors = it.bib.value(it.entry, "author") or it.bib.value(it.entry, "editor") or ""
    families = []
    for person in re.split(r"\s+and\s+", authors):
        person = person.strip()
        if not person:
            continue
        family = person.split(",")[0] if "," in person else person.split()[-1]
        families.append(quick_text(family))
    if len(families) > 2:
        return f"{families[0]} et al."
    return " & ".join(families)


def _detail(it: Indexed) -> str:
    who = _names(it)
    return f"{who} ({it.year})" if it.year else who


def _summary(it: Indexed) -> str:
    """Authors (year). Title. *Venue*. DOI: a reference in brief, without citeproc."""
    bib, e = it.bib, it.entry

    def text(*names: str) -> str:
        return next((quick_text(v) for n in names if (v := bib.value(e, n))), "")

    title = text("title").rstrip(".")
    venue = text("journaltitle", "journal", "booktitle", "publisher")
    line = f"{_detail(it)}. {title}." + (f" *{venue}*." if venue else "")
    doi = text("doi")
    lines = [f"**{e.key}** · @{e.entry_type}", "", line]
    if doi:
        lines += ["", f"[doi:{doi}](https://doi.org/{doi})"]
    return "\n".join(lines)


def _plain_reference(item: dict[str, Any]) -> str:
    authors = "; ".join(p.get("literal") or f"{p.get('family', '')}, {p.get('given', '')}".strip(", ") for p in item.get("author", []))
    year = item.get("issued", {}).get("date-parts", [[""]])[0][0]
    return f"{authors} ({year}). {item.get('title', '')}. {item.get('container-title', '')}".strip()
