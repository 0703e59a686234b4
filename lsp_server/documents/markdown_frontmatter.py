"""YAML front matter: metadata for plugins, and the title and abstract as prose.

Parsed with ``yaml.safe_load``/``yaml.compose`` (SafeLoader: no tags that build
objects, so nothing in a document can run code).  Prose fields are mapped back
to the exact source text of their scalar; a scalar whose words do not appear
verbatim in the source (escapes, odd folding) is skipped rather than mapped
wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from lsp_server.documents.markdown_content import Content

_OPEN = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)", re.MULTILINE)
_YAML_KEY = re.compile(r"[A-Za-z_][\w -]*:(?:[ \t]|$)", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Field -> chunk role.  Keys are matched case-insensitively (ReScience writes "Title:").
PROSE_FIELDS = {"title": "heading", "subtitle": "heading", "abstract": "paragraph", "description": "paragraph"}


@dataclass
class FrontMatter:
    start: int  # offset of the opening ---
    end: int  # offset just past the closing line: Markdown starts here
    data: dict[str, object] | None = None
    # Top-level fields whose value is a scalar or a flat list of scalars: safe to hand
    # to plugins (no shared YAML aliases that a JSON dump could blow up).
    plain: dict[str, object] = field(default_factory=dict)
    # (role, content) for each paragraph of a prose field.
    prose: list[tuple[str, Content]] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)
    language: str | None = None
    bibliographies: list[str] = field(default_factory=list)


def find_front_matter(source: str, start: int) -> tuple[int, int, int] | None:
    """(yaml_start, yaml_end, block_end) of a front matter block at ``start``, or None."""
    m = _OPEN.match(source, start)
    if m is None:
        return None
    nxt = source[m.end() : m.end() + 200].split("\n", 1)[0]
    if not nxt.strip():
        return None  # "---" then a blank line is a thematic break, as in pandoc
    close = _CLOSE.search(source, m.end())
    if close is None:
        return None
    return m.end(), close.start(), close.end()


def parse_front_matter(source: str, start: int) -> FrontMatter | None:
    """The front matter at ``start``; an empty one (``end == start``) only carries a note."""
    found = find_front_matter(source, start)
    if found is None:
        opening = _OPEN.match(source, start)
        if opening is not None and _YAML_KEY.match(source, opening.end()) and not _CLOSE.search(source, opening.end()):
            fm = FrontMatter(start, start)
            message = "front matter is never closed (no '---' or '...' line after it); it is read as Markdown"
            fm.notes.append((start, opening.end(), message))
            return fm
        return None
    ystart, yend, block_end = found
    fm = FrontMatter(start, block_end)
    text = source[ystart:yend]
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = ystart + min(mark.index, len(text)) if mark is not None else start
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        fm.notes.append((at, max(at, min(at + 1, yend)), f"front matter is not valid YAML: {problem}"))
        return fm
    except (ValueError, RecursionError, OverflowError) as exc:  # hostile input the YAML reader did not expect
        fm.notes.append((start, block_end, f"front matter could not be read: {exc}"))
        return fm
    if data is None:
        return fm
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        fm.notes.append((start, block_end, "front matter is not a YAML mapping (key: value lines)"))
        return fm
    fm.data = {str(k): v for k, v in data.items()}
    fm.plain = {k: v for k, v in fm.data.items() if _is_plain(v)}
    _read_metadata(fm, source, ystart, yend)
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        role = PROSE_FIELDS.get(str(key_node.value).lower())
        if role is not None and isinstance(value_node, yaml.ScalarNode):
            for content in scalar_paragraphs(source, ystart, value_node):
                fm.prose.append((role, content))
    return fm


_SCALARS = (str, int, float, bool, type(None))


def _is_plain(value: object) -> bool:
    if isinstance(value, list):
        return len(value) < 1000 and all(isinstance(v, _SCALARS) for v in value)
    return isinstance(value, _SCALARS)


def _read_metadata(fm: FrontMatter, source: str, ystart: int, yend: int) -> None:
    assert fm.data is not None
    lowered = {k.lower(): v for k, v in fm.data.items()}
    lang = lowered.get("lang")
    if isinstance(lang, str):
        tag = lang.strip().replace("_", "-")
        if _BCP47.match(tag):
            fm.language = tag
        else:
            at = source.find(lang, ystart, yend)
            span = (at, at + len(lang)) if at >= 0 else (fm.start, fm.end)
            fm.notes.append((*span, f"lang: '{lang}' is not a BCP-47 language tag (e.g. en-GB)"))
    bib = lowered.get("bibliography")
    if isinstance(bib, str):
        fm.bibliographies = [bib.strip()]
    elif isinstance(bib, list):
        fm.bibliographies = [b.strip() for b in bib if isinstance(b, str) and b.strip()]


def _words(s: str) -> list[str]:
    return s.split()


def scalar_paragraphs(source: str, ystart: int, node: yaml.ScalarNode) -> list[Content]:
    """The scalar's source lines as Content, one per paragraph; [] if they cannot be mapped."""
    s = ystart + node.start_mark.index
    e = ystart + node.end_mark.index
    style = node.style
    if style in ('"', "'"):
        s, e = s + 1, e - 1
        if "\\" in source[s:e] or (style == "'" and "''" in source[s:e]):
            return []  # escapes: the value is not the source text
    elif style in ("|", ">"):
        brk = _LINE_BREAK.search(source, s, e)
        if brk is None:
            return []
        s = brk.end()  # skip the indicator line "|-" / ">2"
    elif style is not None:
        return []
    paragraphs: list[Content] = []
    current = Content()
    words: list[str] = []
    pos = s
    prev_break: tuple[int, int] | None = None
    while pos <= e:
        brk = _LINE_BREAK.search(source, pos, e)
        line_end = brk.start() if brk is not None else e
        line = source[pos:line_end]
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            if len(current) and prev_break is not None:
                current.add(source, prev_break[0], prev_break[1])
            current.add(source, pos + lead, pos + lead + len(stripped))
            words.extend(_words(stripped))
        elif len(current):
            paragraphs.append(current)
            current = Content()
        if brk is None:
            break
        # Keep one line-break character (the \n of \r\n) between lines.
        prev_break = (brk.end() - 1, brk.end())
        pos = brk.end()
    if len(current):
        paragraphs.append(current)
    if words != _words(str(node.value)):
        return []
    return paragraphs
