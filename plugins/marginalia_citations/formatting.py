"""Formatted references through citeproc-py and CSL styles.

Five styles ship with the package (see styles/LICENSE.md); any other .csl file
is used by path.  Two gaps of citeproc-py are bridged here rather than patched
in the library: CSL 1.0.1's ``initialize="false"`` (Chicago and MLA spell out
given names) is honoured by pushing the inherited ``initialize-with`` down to
the ``<name>`` elements that may initialise, and the en-US rule that commas and
periods go inside closing quotes is applied to the output.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import model as citeproc_model
from citeproc.formatter import html as html_formatter
from citeproc.formatter import plain as plain_formatter
from citeproc.source.json import CiteProcJSON
from lxml import etree

STYLES_DIR = Path(__file__).with_name("styles")
CSL_NS = "http://purl.org/net/xbiblio/csl"
# Short names users type -> bundled file.
BUNDLED_STYLES = {
    "apa": "apa.csl",
    "ieee": "ieee.csl",
    "chicago": "chicago-author-date.csl",
    "chicago-author-date": "chicago-author-date.csl",
    "mla": "modern-language-association.csl",
    "modern-language-association": "modern-language-association.csl",
    "vancouver": "nlm-citation-sequence.csl",
    "nlm": "nlm-citation-sequence.csl",
    "nlm-citation-sequence": "nlm-citation-sequence.csl",
}
OutputFormat = Literal["text", "markdown", "html", "latex"]
OUTPUT_FORMATS: tuple[str, ...] = ("text", "markdown", "html", "latex")


class StyleError(ValueError):
    """A style name or file that cannot be used; the message says why."""


# --------------------------------------------------------------------------- citeproc-py fixes

_original_last_page = citeproc_model.FormatNumber._format_last_page


def _format_last_page(self: Any, first: str, last: str) -> str:
    """CSL shortens a page range only when both ends have as many digits; citeproc-py
    compares digit by digit regardless and prints 1-10 as "1–0" (MLA, Vancouver)."""
    if len(first) != len(last):
        return last
    return str(_original_last_page(self, first, last))


_format_last_page.marginalia_fix = True  # type: ignore[attr-defined]
if not getattr(citeproc_model.FormatNumber._format_last_page, "marginalia_fix", False):
    citeproc_model.FormatNumber._format_last_page = _format_last_page  # type: ignore[method-assign]

# citeproc-py looks every macro up by XPath on each use: 40% of the time of an APA
# reference.  Macros never change once a style is loaded, so remember them per
# style root (the roots are the few styles held by ``_load``'s cache).
_original_get_macro = citeproc_model.CitationStylesElement.get_macro
_macros: dict[Any, dict[str, Any]] = {}


def _get_macro(self: Any, name: str) -> Any:
    per_style = _macros.setdefault(self.get_root(), {})
    macro = per_style.get(name)
    if macro is None:
        macro = per_style[name] = _original_get_macro(self, name)
    return macro


_get_macro.marginalia_fix = True  # type: ignore[attr-defined]
if not getattr(citeproc_model.CitationStylesElement.get_macro, "marginalia_fix", False):
    citeproc_model.CitationStylesElement.get_macro = _get_macro  # type: ignore[method-assign]


# --------------------------------------------------------------------------- output formats


def _wrapper(prefix: str, suffix: str) -> type[str]:
    class Wrapped(str):
        def __new__(cls, text: str) -> Wrapped:
            return super().__new__(cls, f"{prefix}{text}{suffix}" if str(text) else "")

    return Wrapped


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def _namespace(preformat: Callable[[str], str], italic: tuple[str, str], bold: tuple[str, str], sc: tuple[str, str], sup: tuple[str, str], sub: tuple[str, str]) -> SimpleNamespace:
    """A citeproc-py formatter: the module-like object its renderer calls."""
    it = _wrapper(*italic)
    plain = _wrapper("", "")
    return SimpleNamespace(
        preformat=preformat,
        Italic=it,
        Oblique=it,
        Bold=_wrapper(*bold),
        Light=plain,
        Underline=plain,
        SmallCaps=_wrapper(*sc),
        Superscript=_wrapper(*sup),
        Subscript=_wrapper(*sub),
    )


MARKDOWN = _namespace(lambda t: _MD_SPECIAL.sub(r"\\\1", str(t)), ("*", "*"), ("**", "**"), ("", ""), ("^", "^"), ("~", "~"))
LATEX = _namespace(_latex_escape, (r"\emph{", "}"), (r"\textbf{", "}"), (r"\textsc{", "}"), (r"\textsuperscript{", "}"), (r"\textsubscript{", "}"))
FORMATTERS: dict[str, Any] = {"text": plain_formatter, "markdown": MARKDOWN, "html": html_formatter, "latex": LATEX}


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class LoadedStyle:
    style: CitationStylesStyle
    title: str
    numeric: bool
    english: bool
    lock: threading.Lock


def _push_down_initialize(root: etree._Element) -> None:
    """Make ``initialize="false"`` work on citeproc-py (see the module docstring).

    Only styles that use the attribute are touched; others keep their inherited
    options exactly as written.
    """
    name_tag = f"{{{CSL_NS}}}name"
    if not any(el.get("initialize") == "false" for el in root.iter(name_tag)):
        return

    def walk(el: etree._Element, current: str | None) -> None:
        local = etree.QName(el).localname
        own = el.get("initialize-with")
        if own is not None and local in ("style", "citation", "bibliography"):
            current = own
            del el.attrib["initialize-with"]
        if local == "name":
            if el.get("initialize") == "false":
                el.attrib.pop("initialize-with", None)
            elif el.get("initialize-with") is None and current is not None:
                el.set("initialize-with", current)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, current)

    walk(root, None)


def resolve_style_path(style: str, workspace_root: Path | None = None) -> Path:
    """A bundled name (``apa``, ``ieee``, ``chicago``, ``mla``, ``vancouver``) or a .csl path."""
    name = style.strip()
    if name.lower() in BUNDLED_STYLES:
        return STYLES_DIR / BUNDLED_STYLES[name.lower()]
    p = Path(name).expanduser()
    if not p.is_absolute() and workspace_root is not None:
        p = workspace_root / p
    if p.suffix.lower() != ".csl":
        raise StyleError(f"unknown citation style {style!r}: use one of {', '.join(sorted(set(BUNDLED_STYLES) - {'nlm-citation-sequence', 'modern-language-association', 'chicago-author-date'}))} or a path to a .csl file")
    if not p.is_file():
        raise StyleError(f"citation style file {p} does not exist")
    return p


@lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> LoadedStyle:
    # No network, no entities from elsewhere: a style file is data, never a fetcher.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        tree = etree.parse(path, parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise StyleError(f"cannot read citation style {path}: {exc}") from exc
    root = tree.getroot()
    if etree.QName(root).namespace != CSL_NS or etree.QName(root).localname != "style":
        raise StyleError(f"{path} is not a CSL style")
    if root.find(f"{{{CSL_NS}}}bibliography") is None:
        raise StyleError(f"{path} has no bibliography layout (a dependent style? use its parent)")
    _push_down_initialize(root)
    title_el = root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}title")
    title = (title_el.text or "").strip() if title_el is not None else Path(path).stem
    category = root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}category[@citation-format]")
    numeric = category is not None and category.get("citation-format") == "numeric"
    locale = root.get("default-locale", "en-US")
    try:
        style = CitationStylesStyle(io.BytesIO(etree.tostring(root)), validate=False)
    except Exception as exc:
        raise StyleError(f"citeproc-py cannot use {path}: {type(exc).__name__}: {exc}") from exc
    return LoadedStyle(style, title, numeric, locale.lower().startswith("en"), threading.Lock())


def load_style(style: str, workspace_root: Path | None = None) -> LoadedStyle:
    path = resolve_style_path(style, workspace_root)
    return _load(str(path), path.stat().st_mtime_ns)


# --------------------------------------------------------------------------- rendering

_NUMBER_LABEL = re.compile(r"^(\[\d+\]|\d+\.)(?=\S)")
_QUOTE_PUNCT = re.compile(r"([”’])([.,])")
_YEAR_MONTH = re.compile(r"\b(\d{4})(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
# citeproc-py renders a group whose only variable sits in a macro even when that
# variable is empty; APA's thesis "(Publication No. n)" then leaves "(Publication)".
_EMPTY_APA_NUMBER = re.compile(r" \(Publication\)(?= \[)")


def _polish(text: str, loaded: LoadedStyle) -> str:
    text = str(text)
    if loaded.numeric:
        # citeproc-py drops the gap of display="left-margin" labels: "[1]J. Doe".
        text = _NUMBER_LABEL.sub(r"\1 ", text)
        # ... and the space of a localised date delimiter: "2001Feb".
        text = _YEAR_MONTH.sub(r"\1 \2", text)
    if loaded.english:
        text = _QUOTE_PUNCT.sub(r"\2\1", text)
    return _EMPTY_APA_NUMBER.sub("", text)


def format_references(items: Sequence[dict[str, Any]], style: str = "apa", fmt: str = "text", workspace_root: Path | None = None, *, sort: bool = True) -> list[str]:
    """Formatted bibliography entries for CSL-JSON ``items``, in the style's order.

    An entry citeproc-py cannot render does not cost the others: the list is
    then rendered entry by entry and the culprit is shown with the reason.
    """
    if fmt not in FORMATTERS:
        raise ValueError(f"unknown output format {fmt!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    if not items:
        return []
    loaded = load_style(style, workspace_root)
    try:
        rendered = _render(loaded, items, fmt, sort)
    except Exception:  # noqa: BLE001
        rendered = []
        for item in items:
            try:
                rendered.extend(_render(loaded, [item], fmt, sort))
            except Exception as exc:  # noqa: BLE001
                rendered.append(f"{item.get('id', '?')}: cannot be formatted ({type(exc).__name__}: {exc})")
    return [_polish(r, loaded) for r in rendered]


def _render(loaded: LoadedStyle, items: Sequence[dict[str, Any]], fmt: str, sort: bool) -> list[str]:
    # citeproc-py compares keys case-insensitively, and the style object holds the
    # formatter of the last bibliography: one rendering per style at a time.
    with loaded.lock:
        source = CiteProcJSON([dict(i) for i in items])
        bib = CitationStylesBibliography(loaded.style, source, FORMATTERS[fmt])
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        if sort:
            bib.sort()
        return [str(r) for r in bib.bibliography()]


def format_one(item: dict[str, Any], style: str = "apa", fmt: str = "markdown", workspace_root: Path | None = None) -> str:
    out = format_references([item], style, fmt, workspace_root)
    return out[0] if out else ""


def join_references(refs: Iterable[str], fmt: str) -> str:
    refs = list(refs)
    if fmt == "html":
        body = "\n".join(f'  <div class="csl-entry">{r}</div>' for r in refs)
        return f'<div class="csl-bib-body">\n{body}\n</div>\n'
    if fmt == "latex":
        body = "\n".join(f"\\item{{}} {r}" for r in refs)  # {}: a leading [1] is not an item label
        return "\\begin{itemize}\n" + body + "\n\\end{itemize}\n" if refs else ""
    return "".join(r + "\n\n" for r in refs)

