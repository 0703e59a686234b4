"""Citations between LaTeX (natbib/biblatex) and pandoc Markdown, following pandoc.

pandoc's readers and writers map, for natbib:

    \\citet{a}                 <-> @a
    \\citet[p.~3]{a}           <-> @a [p. 3]
    \\citep{a,b}               <-> [@a; @b]
    \\citep[p.~3]{a}           <-> [@a, p. 3]
    \\citep[see][p.~3]{a}      <-> [see @a, p. 3]
    \\citeyearpar{a}           <-> [-@a]      (\\citeyear{a} reads as [-@a] too)
    \\citeauthor{a}            ->  @a         (Markdown has no author-only form)

and for biblatex \\textcite <-> @a, \\autocite/\\parencite/\\footcite <-> [@a] (a CSL
note style puts [@a] in a footnote by itself),
\\autocite*{a} <-> [-@a], \\autocites[..][..]{a}[..][..]{b} <-> [@a; @b].
Citations pandoc cannot express in one natbib command (a prefix per key) are
written as \\citetext{see \\citealp{a}; also \\citealp{b}}, as pandoc does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from marginalia_citations.cites import (
    KEY_BODY,
    cite_arguments,
    is_crossref,
    latex_command_pattern,
    mask_latex,
    mask_markdown,
)

Mode = Literal["normal", "in-text", "suppress-author"]
IN_TEXT = frozenset({"citet", "Citet", "textcite", "Textcite", "textcites", "Textcites", "citeauthor", "Citeauthor", "citealt", "Citealt"})
SUPPRESS = frozenset({"citeyear", "citeyearpar", "citedate"})
NOT_CONVERTED = frozenset({"nocite", "fullcite", "footfullcite", "citetitle", "Citetitle", "citeurl", "citefield", "citelist", "citename"})


@dataclass
class CiteItem:
    key: str
    prefix: str = ""
    suffix: str = ""


@dataclass
class Citation:
    """A citation independent of syntax: what pandoc's AST holds."""

    items: list[CiteItem]
    mode: Mode = "normal"


# --------------------------------------------------------------------------- LaTeX -> model


def _latex_note(text: str) -> str:
    return " ".join(text.replace("~", " ").replace("\\,", " ").split())


def _md_note(text: str) -> str:
    # "p. 3" -> "p.~3": the tie LaTeX users expect after an abbreviation.
    return re.sub(r"\b(pp?|ch|chap|sec|fig|vol|no|eq)\. (?=\S)", r"\1.~", text.strip())


def parse_latex_cite(text: str, name: str, after_name: int) -> tuple[Citation, int] | None:
    """Parse the arguments of ``\\name`` from ``after_name``; None when not a citation we map."""
    if name in NOT_CONVERTED:
        return None
    star = after_name < len(text) and text[after_name] == "*"
    multi = name.endswith("cites")
    args = cite_arguments(text, after_name + (1 if star else 0), multi)
    if args is None or not all(g.closed for g in args.groups):
        return None
    items: list[CiteItem] = []
    for g in args.groups:
        keys = [k.strip() for k in text[g.keys_start : g.keys_end].split(",") if k.strip()]
        if not keys:
            return None
        # One optional argument is a postnote; two are prenote and postnote.
        pre, post = (g.options[0], g.options[1]) if len(g.options) == 2 else ("", g.options[0] if g.options else "")
        group = [CiteItem(k) for k in keys]
        group[0].prefix = _latex_note(pre)
        group[-1].suffix = _latex_note(post)
        items.extend(group)
    if args.notes:
        gpre, gpost = (args.notes[0], args.notes[1]) if len(args.notes) >= 2 else ("", args.notes[0])
        items[0].prefix = " ".join(p for p in (_latex_note(gpre), items[0].prefix) if p)
        items[-1].suffix = ", ".join(p for p in (items[-1].suffix, _latex_note(gpost)) if p)
    base = name[:-1] if multi else name
    if base in IN_TEXT or name in IN_TEXT:
        mode: Mode = "in-text"
    elif base in SUPPRESS or (star and base in ("autocite", "parencite", "footcite")):
        mode = "suppress-author"
    else:
        mode = "normal"
    return Citation(items, mode), args.end


# --------------------------------------------------------------------------- model -> pandoc


def to_pandoc(c: Citation) -> str:
    if c.mode == "in-text":
        first = c.items[0]
        head = f"@{_md_key(first.key)}" + (f" [{first.suffix}]" if first.suffix else "")
        if len(c.items) == 1:
            return head
        rest = Citation(c.items[1:], "normal")
        return f"{head} {to_pandoc(rest)}"
    parts = []
    for it in c.items:
        dash = "-" if c.mode == "suppress-author" else ""
        s = (it.prefix + " " if it.prefix else "") + f"{dash}@{_md_key(it.key)}"
        if it.suffix:
            s += ("" if it.suffix.startswith(",") else ", ") + it.suffix
        parts.append(s)
    return "[" + "; ".join(parts) + "]"


def _md_key(key: str) -> str:
    return key if re.fullmatch(KEY_BODY, key) else "{" + key + "}"


# --------------------------------------------------------------------------- pandoc -> model

_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<dash>-?)@(?:\{{(?P<bkey>[^{{}}]+)\}}|(?P<key>{KEY_BODY}))(?P<suffix>.*)$", re.S)


def parse_pandoc_bracket(inner: str) -> Citation | None:
    """``see @a, p. 3; -@b`` (the text between the brackets)."""
    items = []
    suppress = False
    for part in inner.split(";"):
        m = _ITEM.match(part.strip())
        if m is None:
            return None
        key = m.group("bkey") or m.group("key")
        if is_crossref(key):
            return None
        suffix = m.group("suffix").strip()
        suffix = suffix[1:].strip() if suffix.startswith(",") else suffix
        items.append(CiteItem(key, m.group("prefix").strip(), suffix))
        suppress = suppress or bool(m.group("dash"))
    if not items:
        return None
    return Citation(items, "suppress-author" if suppress else "normal")


def to_latex(c: Citation, package: str = "natbib") -> str:
    keys = ",".join(i.key for i in c.items)
    if package == "biblatex":
        return _to_biblatex(c)
    if c.mode == "in-text":
        first = c.items[0]
        return "\\citet" + (f"[{_md_note(first.suffix)}]" if first.suffix else "") + f"{{{first.key}}}" + (
            " " + to_latex(Citation(c.items[1:]), package) if len(c.items) > 1 else ""
        )
    cmd = "\\citeyearpar" if c.mode == "suppress-author" else "\\citep"
    inner_pre = [i.prefix for i in c.items[1:]]
    inner_post = [i.suffix for i in c.items[:-1]]
    if any(inner_pre) or any(inner_post):
        # A note per key: natbib's \citep cannot, pandoc writes \citetext.
        sub = "\\citeyear" if c.mode == "suppress-author" else "\\citealp"
        parts = []
        for i in c.items:
            opts = f"[{_md_note(i.prefix)}][{_md_note(i.suffix)}]" if i.prefix else (f"[{_md_note(i.suffix)}]" if i.suffix else "")
            parts.append(f"{sub}{opts}{{{i.key}}}")
        return "\\citetext{" + "; ".join(parts) + "}"
    pre, post = c.items[0].prefix, c.items[-1].suffix
    if pre:
        opts = f"[{_md_note(pre)}][{_md_note(post)}]"
    elif post:
        opts = f"[{_md_note(post)}]"
    else:
        opts = ""
    return f"{cmd}{opts}{{{keys}}}"


def _to_biblatex(c: Citation) -> str:
    base = {"in-text": "textcite", "suppress-author": "autocite", "normal": "autocite"}[c.mode]
    star = "*" if c.mode == "suppress-author" else ""
    if len(c.items) == 1 or not any(i.prefix or i.suffix for i in c.items):
        it = c.items
        opts = ""
        if it[0].prefix:
            opts = f"[{_md_note(it[0].prefix)}][{_md_note(it[-1].suffix)}]"
        elif it[-1].suffix:
            opts = f"[{_md_note(it[-1].suffix)}]"
        return f"\\{base}{star}{opts}{{{','.join(i.key for i in it)}}}"
    parts = []
    for i in c.items:
        opts = f"[{_md_note(i.prefix)}][{_md_note(i.suffix)}]" if i.prefix else (f"[{_md_note(i.suffix)}]" if i.suffix else "")
        parts.append(f"{opts}{{{i.key}}}")
    return f"\\{base}s" + "".join(parts)


# --------------------------------------------------------------------------- whole texts


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    text: str


def latex_replacements(source: str, extra_commands: Sequence[str] = (), start: int = 0, end: int | None = None) -> list[Replacement]:
    """Each LaTeX citation in ``source[start:end]`` with its pandoc form."""
    masked = mask_latex(source)
    stop = len(source) if end is None else end
    out = []
    for m in latex_command_pattern(extra_commands).finditer(masked):
        parsed = parse_latex_cite(masked, m.group(1), m.start(2))
        if parsed is None:
            continue
        cit, after = parsed
        if m.start() <= stop and start <= after:
            # Notes come from the source, not the masked copy (they are the same outside comments).
            exact = parse_latex_cite(source, m.group(1), m.start(2))
            out.append(Replacement(m.start(), after, to_pandoc(exact[0] if exact else cit)))
    return out


_BRACKET = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?!\(|:)")
_BARE = re.compile(rf"(?<![\w@.+\-\\\[])@(?:\{{([^{{}}\n]+)\}}|({KEY_BODY}))(?: \[([^\[\]@]*)\](?!\(|:))?")


def markdown_replacements(source: str, package: str = "natbib", start: int = 0, end: int | None = None) -> list[Replacement]:
    """Each pandoc citation in ``source[start:end]`` with its LaTeX form."""
    masked = mask_markdown(source)
    stop = len(source) if end is None else end
    out: list[Replacement] = []
    taken: list[tuple[int, int]] = []
    for m in _BRACKET.finditer(masked):
        cit = parse_pandoc_bracket(source[m.start(1) : m.end(1)])
        if cit is None:
            continue
        taken.append((m.start(), m.end()))
        if m.start() <= stop and start <= m.end():
            out.append(Replacement(m.start(), m.end(), to_latex(cit, package)))
    for m in _BARE.finditer(masked):
        if any(s <= m.start() < e for s, e in taken):
            continue
        key = m.group(1) or m.group(2)
        if is_crossref(key):
            continue
        if m.start() <= stop and start <= m.end():
            cit = Citation([CiteItem(key, "", (m.group(3) or "").strip())], "in-text")
            out.append(Replacement(m.start(), m.end(), to_latex(cit, package)))
    out.sort(key=lambda r: r.start)
    return out


def apply(source: str, replacements: Sequence[Replacement]) -> str:
    parts = []
    pos = 0
    for r in sorted(replacements, key=lambda r: r.start):
        if r.start < pos:
            continue
        parts.append(source[pos : r.start])
        parts.append(r.text)
        pos = r.end
    parts.append(source[pos:])
    return "".join(parts)


def convert_text(source: str, to: str, *, package: str = "natbib", extra_commands: Sequence[str] = ()) -> str:
    """``to="pandoc"``: \\cite forms become [@...]; ``to="latex"``: [@...] become \\cite forms."""
    if to == "pandoc":
        return apply(source, latex_replacements(source, extra_commands))
    if to == "latex":
        return apply(source, markdown_replacements(source, package))
    raise ValueError(f"unknown target {to!r}: use pandoc or latex")


__all__ = ["Citation", "CiteItem", "Replacement", "convert_text", "latex_replacements", "markdown_replacements"]
