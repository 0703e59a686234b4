"""Build a lexicon (see :mod:`marginalia_spelling.lexicon`) from a Hunspell pair, using spylls.

Every form the affix rules could produce is generated (generously: flags and
conditions are read loosely, so the set holds every text spylls could analyse
as stem + affixes), and spylls itself judges each form's lower-case,
Capitalised and UPPER-CASE renderings.  Building takes a minute or two per
dictionary, so it runs offline for the bundled dictionaries::

    python -m marginalia_spelling.lexicon_build            # rewrite hunspell/*.lex.gz
    python -m marginalia_spelling.lexicon_build PATH.dic OUT.lex.gz

and in a background process for dictionaries found on the system.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from marginalia_spelling import lexicon
from marginalia_spelling.lexicon import CAPITAL, LOWER, UPPER, capital, failure_marker

log = logging.getLogger(__name__)

BUNDLED_DIR = Path(__file__).resolve().parent / "hunspell"
BACKGROUND_CPU_SECONDS = 900
BACKGROUND_MEMORY_BYTES = 4 << 30
_REGEX_SPECIALS = frozenset(".^$*+?{}[]\\|()")


class Unsupported(ValueError):
    """The dictionary uses a feature the lexicon cannot replay; spylls alone serves it."""


def _unsupported_features(aff: Any) -> list[str]:
    """Features under which a lexicon's verdicts or proofs of absence would not be spylls' own."""
    out = []
    if aff.COMPLEXPREFIXES:
        out.append("COMPLEXPREFIXES")
    if aff.ICONV and any(len(a) != 1 or len(b) != 1 or "_" in a for a, b in aff.ICONV.pairs):
        out.append("multi-character ICONV")
    affixes = [a for group in (*aff.SFX.values(), *aff.PFX.values()) for a in group]
    if any(_REGEX_SPECIALS & set(a.add) for a in affixes):
        out.append("affixes with regular-expression characters")  # spylls matches them as patterns
    return out


def _affixes_by_flag(groups: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {flag: list(items) for flag, items in groups.items()}


class _Expander:
    """Generates every text spylls could read as a stem of the .dic with up to two suffixes and a prefix."""

    def __init__(self, aff: Any) -> None:
        self.sfx = _affixes_by_flag(aff.SFX)
        self.pfx = _affixes_by_flag(aff.PFX)
        self._closures: dict[frozenset[str], frozenset[str]] = {}

    def _usable_flags(self, flags: frozenset[str]) -> frozenset[str]:
        """Root flags plus every continuation flag an affix reachable from them brings (a fixpoint):
        spylls accepts an affix whose flag is on the root, the other affix or itself."""
        hit = self._closures.get(flags)
        if hit is None:
            seen = set(flags)
            for group in (self.sfx, self.pfx):
                for flag, items in group.items():
                    if any(flag in a.flags for a in items):
                        seen.add(flag)  # an affix carrying its own flag needs nothing from the root
            todo = list(seen)
            while todo:
                flag = todo.pop()
                for a in (*self.sfx.get(flag, ()), *self.pfx.get(flag, ())):
                    for f in a.flags:
                        if f not in seen:
                            seen.add(f)
                            todo.append(f)
            hit = self._closures[flags] = frozenset(seen)
        return hit

    @staticmethod
    def _suffixed(stem: str, sfx: Any) -> str | None:
        if not stem.endswith(sfx.strip) or not sfx.cond_regexp.search(stem):
            return None
        return stem[: len(stem) - len(sfx.strip)] + sfx.add

    @staticmethod
    def _prefixed(stem: str, pfx: Any, *conditions_on: str) -> str | None:
        if not stem.startswith(pfx.strip) or not any(pfx.cond_regexp.search(s) for s in conditions_on):
            return None
        return pfx.add + stem[len(pfx.strip) :]

    def forms(self, stem: str, flags: Iterable[str]) -> Iterator[str]:
        usable = self._usable_flags(frozenset(flags))
        suffixes = [s for f in usable for s in self.sfx.get(f, ())]
        prefixes = [p for f in usable for p in self.pfx.get(f, ())]
        yield stem
        suffixed: list[tuple[str, bool]] = []  # (form, every suffix in it allows cross products)
        for s in suffixes:
            once = self._suffixed(stem, s)
            if once is None:
                continue
            suffixed.append((once, s.crossproduct))
            for s2 in suffixes:
                if s2.flag in s.flags:  # an outer suffix is allowed by the inner one's continuation flags
                    twice = self._suffixed(once, s2)
                    if twice is not None:
                        suffixed.append((twice, s.crossproduct and s2.crossproduct))
        yield from (form for form, _ in suffixed)
        for p in prefixes:
            alone = self._prefixed(stem, p, stem)
            if alone is not None:
                yield alone
            if p.crossproduct:
                for form, cross in suffixed:
                    # spylls checks a prefix's condition on the suffixed form; Hunspell on the root.
                    both = self._prefixed(form, p, form, stem) if cross else None
                    if both is not None:
                        yield both


def _single_letter_stems(aff: Any, dic: Any) -> dict[str, set[str]]:
    """spylls (0.1.x) files each lower-case stem, in the index it searches for UPPER-CASE words,
    under every one of its letters (it iterates a string where it meant a list of lowercasings):
    so "JS" passes as "j" + "s" with the flags of any word that holds a "j".  Letter -> those flags."""
    from spylls.hunspell.algo.capitalization import Type

    out: dict[str, set[str]] = {}
    for w in dic.words:
        if aff.casing.guess(w.stem) == Type.NO:
            for char in set(w.stem):
                out.setdefault(char, set()).update(w.flags)
    return out


def _compound_stems(aff: Any, dic: Any) -> list[str] | None:
    """Lower-cased stems COMPOUNDRULE may join; None when compounding by flags makes any word possible."""
    if aff.COMPOUNDFLAG or aff.COMPOUNDBEGIN or aff.COMPOUNDMIDDLE or aff.COMPOUNDEND:
        return None
    rule_flags = {f for rule in aff.COMPOUNDRULE for f in rule.flags}
    if not rule_flags:
        return []
    return sorted({w.stem.lower() for w in dic.words if rule_flags & set(w.flags)})


def _alphabet(aff: Any, dic: Any) -> str:
    """Lower-case letters of TRY and of every stem (what the plugin calls the dictionary's script)."""
    letters = set((aff.TRY or "").lower())
    for w in dic.words:
        letters.update(w.stem.lower())
    return "".join(sorted(c for c in letters if c.isalpha()))


def build(dic_path: Path, out: Path, progress: bool = False) -> int:
    """Write the lexicon of ``dic_path`` (with its .aff) to ``out``; returns the number of forms."""
    from spylls.hunspell import Dictionary
    from spylls.hunspell.algo.capitalization import Casing

    aff_path = dic_path.with_suffix(".aff")
    digest = lexicon.file_digest(dic_path, aff_path)
    d = Dictionary.from_files(str(dic_path.with_suffix("")))
    aff, dic = d.aff, d.dic
    problems = _unsupported_features(aff)
    if problems:
        raise Unsupported(f"{dic_path}: {', '.join(problems)}")

    expander = _Expander(aff)
    texts: set[str] = set()
    for w in dic.words:
        texts.update(expander.forms(w.stem, w.flags))
        if w.stem != w.stem.lower():  # spylls matches UPPER-CASE words to these stems lower-cased
            texts.update(expander.forms(w.stem.lower(), w.flags))

    # What UPPER-CASE words could pass through that quirk: not judged here (spylls is slow to reject
    # them), only listed, so that the lexicon leaves exactly these to spylls.
    by_letter = {f.lower() for char, flags in _single_letter_stems(aff, dic).items() for f in expander.forms(char, flags)}

    def correct(text: str) -> bool:
        return any(d.lookuper.good_forms(text))

    forms: dict[str, int] = {}
    mixed: dict[str, bool] = {}
    lowered = sorted({t.lower() for t in texts})
    started = time.monotonic()
    for i, low in enumerate(lowered):
        bits = (LOWER if correct(low) else 0) | (CAPITAL if correct(capital(low)) else 0) | (UPPER if correct(low.upper()) else 0)
        forms[low] = bits
        if progress and i % 20000 == 0:
            print(f"{dic_path.name}: {i}/{len(lowered)} forms judged ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    for text in texts:
        low = text.lower()
        if text not in (low, capital(low), low.upper()):
            mixed[text] = correct(text)

    forbidden = sorted(w.stem for w in dic.words if aff.FORBIDDENWORD and dic.has_flag(w.stem, aff.FORBIDDENWORD, for_all=True))
    meta = {
        "digest": digest,
        "source": dic_path.name,
        "alphabet": _alphabet(aff, dic),
        "iconv": sorted(aff.ICONV.pairs) if aff.ICONV else [],
        "ignore": aff.IGNORE.chars if aff.IGNORE else "",
        "breaks": [p.regexp.pattern for p in aff.BREAK],
        "forbidden": forbidden,
        "compound_stems": _compound_stems(aff, dic),
        "proves_absence": type(aff.casing) is Casing and not aff.CHECKSHARPS,
        "mixed": dict(sorted(mixed.items())),
        "single_letter_forms": sorted(by_letter - set(forms)),
    }
    lexicon.write(out, meta, forms)
    return len(forms)


def bundled_lexicon_path(dic_path: Path) -> Path:
    return dic_path.with_suffix(".lex.gz")


def _give_up(signum: int, frame: object) -> None:
    raise TimeoutError(f"more than {BACKGROUND_CPU_SECONDS} s of CPU time")


def _build_in_background(dic_path: Path, out: Path) -> int:
    """What a server starts for an installed dictionary: nice, bounded in CPU time and memory,
    skipped while another process builds the same file (a marker younger than the CPU bound),
    and recorded as failed (not retried) when the dictionary is too big or not supported."""
    import os
    import resource
    import signal

    os.nice(10)
    resource.setrlimit(resource.RLIMIT_CPU, (BACKGROUND_CPU_SECONDS, BACKGROUND_CPU_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (BACKGROUND_MEMORY_BYTES, BACKGROUND_MEMORY_BYTES))
    signal.signal(signal.SIGXCPU, _give_up)  # the soft CPU limit: stop cleanly, before the hard kill
    marker = out.with_name(out.name + ".building")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if marker.exists() and time.time() - marker.stat().st_mtime < 2 * BACKGROUND_CPU_SECONDS:
            return 0
        marker.write_text(str(os.getpid()), encoding="utf-8")
    except OSError:
        return 1
    try:
        build(dic_path, out)
    except (Unsupported, OSError, ValueError, TimeoutError, MemoryError) as exc:
        with contextlib.suppress(OSError):
            failure_marker(out).write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
        return 1
    finally:
        marker.unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precompile Hunspell dictionaries into lexicons for fast spelling checks.")
    parser.add_argument("dic", nargs="?", type=Path, help="a .dic file (default: every bundled dictionary)")
    parser.add_argument("out", nargs="?", type=Path, help="where to write the lexicon (default: beside the .dic)")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--background", action="store_true", help="low priority, bounded CPU time, one build per output")
    args = parser.parse_args(argv)
    if args.background:
        if not args.out:
            parser.error("--background needs an output path")
        return _build_in_background(args.dic, args.out)
    sources = [args.dic] if args.dic else sorted(BUNDLED_DIR.glob("*.dic"))
    for dic_path in sources:
        out = args.out or bundled_lexicon_path(dic_path)
        try:
            n = build(dic_path, out, progress=not args.quiet)
        except (Unsupported, OSError) as exc:
            print(f"not built: {exc}", file=sys.stderr)
            return 1
        if not args.quiet:
            print(f"{out}: {n} forms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
