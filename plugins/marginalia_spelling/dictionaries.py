"""Find the Hunspell dictionary for a language and load it once per process.

Search order (first hit wins, per candidate name): the user's
``spelling.dictionaries`` paths, ``$DICPATH``, ``~/.local/share/hunspell``,
the en-US/en-GB dictionaries bundled in this package, then the system folders
(``/usr/share/hunspell``, ``/usr/share/myspell/dicts``).  Bundled English comes
before the system copies so that CI and every editor judge words the same way.

spylls needs about a second to read a dictionary, so words are first looked
up in a precompiled lexicon (:mod:`marginalia_spelling.lexicon`: checked in
for the bundled dictionaries, built in the background and cached for
installed ones); spylls loads lazily under a lock, for suggestions and for
the rare word a lexicon cannot decide.  Every verdict is cached per word.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marginalia_spelling.lexicon import Lexicon, failure_marker, file_digest

log = logging.getLogger(__name__)

BUNDLED_DIR = Path(__file__).resolve().parent / "hunspell"
SYSTEM_DIRS = (
    Path("/usr/share/hunspell"),
    Path("/usr/share/myspell/dicts"),
    Path("/usr/share/myspell"),
    Path("/usr/local/share/hunspell"),
    Path("/Library/Spelling"),
)
# Where a bare language tag ("fr") should land first.
DEFAULT_REGION = {
    "en": "US", "fr": "FR", "de": "DE", "es": "ES", "it": "IT", "pt": "PT", "nl": "NL", "ru": "RU",
    "pl": "PL", "sv": "SE", "da": "DK", "nb": "NO", "nn": "NO", "fi": "FI", "cs": "CZ", "el": "GR",
    "hu": "HU", "ro": "RO", "tr": "TR", "uk": "UA", "ca": "ES", "sk": "SK", "sl": "SI", "hr": "HR",
}
# Commonwealth English is closer to en-GB than to en-US.
_NEAREST = {"en_AU": "en_GB", "en_NZ": "en_GB", "en_IE": "en_GB", "en_ZA": "en_GB", "en_IN": "en_GB", "en_CA": "en_US"}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?")
LOOKUP_CACHE_SIZE = 300_000


@dataclass(frozen=True, slots=True)
class DictionaryFile:
    """A ``.dic``/``.aff`` pair on disk; ``name`` is the stem (``en_US``)."""

    name: str
    dic: Path
    aff: Path
    origin: str  # "settings", "bundled", "system", ...

    @property
    def stem(self) -> Path:
        return self.dic.with_suffix("")

    @property
    def tag(self) -> str:
        """BCP-47 spelling of the file name: en_US -> en-US."""
        return self.name.replace("_", "-")


def candidate_names(language: str) -> list[str]:
    """File stems worth trying for ``language``, best first: en-GB -> en_GB, en-GB, en."""
    m = _TAG.match(language.strip())
    if m is None:
        return []
    lang, _script, region = m.group(1).lower(), m.group(2), m.group(3)
    names: list[str] = []
    if region:
        exact = f"{lang}_{region.upper()}"
        names += [exact, f"{lang}-{region.upper()}"]
        if exact in _NEAREST:
            names.append(_NEAREST[exact])
    names.append(lang)
    if lang in DEFAULT_REGION:
        names.append(f"{lang}_{DEFAULT_REGION[lang]}")
    return list(dict.fromkeys(names))


def search_dirs(extra: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    dirs: list[tuple[Path, str]] = [(p, "settings") for p in extra]
    dirs += [(Path(p), "DICPATH") for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    dirs.append((Path.home() / ".local" / "share" / "hunspell", "user"))
    dirs.append((BUNDLED_DIR, "bundled"))
    dirs += [(p, "system") for p in SYSTEM_DIRS]
    return dirs


def _pairs_in(folder: Path, origin: str) -> dict[str, DictionaryFile]:
    try:
        dics = sorted(folder.glob("*.dic"))
    except OSError:
        return {}
    out: dict[str, DictionaryFile] = {}
    for dic in dics:
        aff = dic.with_suffix(".aff")
        if aff.is_file() and not dic.name.startswith("hyph_"):
            out[dic.stem] = DictionaryFile(dic.stem, dic, aff, origin)
    return out


def find_dictionary(language: str, extra_paths: Sequence[Path] = ()) -> DictionaryFile | None:
    """The best dictionary for ``language`` (``fr``, ``en-GB``, ``de-DE``), or None."""
    extra_dirs: list[Path] = []
    explicit: dict[str, DictionaryFile] = {}
    for p in extra_paths:
        if p.suffix == ".dic" and p.with_suffix(".aff").is_file():
            explicit.setdefault(p.stem, DictionaryFile(p.stem, p, p.with_suffix(".aff"), "settings"))
        elif p.is_dir():
            extra_dirs.append(p)
    found: dict[str, DictionaryFile] = {}
    for folder, origin in reversed(search_dirs(extra_dirs)):  # earlier folders overwrite later ones
        found.update(_pairs_in(folder, origin))
    found.update(explicit)
    for name in candidate_names(language):
        if name in found:
            return found[name]
    # Any regional variant of the language: de -> de_AT when only that is installed.
    lang = language.strip()[:3].split("-")[0].split("_")[0].lower()
    regional = sorted(n for n in found if n.split("_")[0].split("-")[0].lower() == lang)
    return found[regional[0]] if regional else None


def lexicon_cache_dir() -> Path:
    """Where lexicons of dictionaries found at run time are kept (one file per .dic/.aff content)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marginalia" / "lexicons"


def lexicon_paths(source: DictionaryFile, digest: str) -> list[Path]:
    """Candidate lexicon files for ``source``: bundled ones sit beside their .dic."""
    cached = lexicon_cache_dir() / f"{source.name}-{digest[:20]}.lex.gz"
    return [source.dic.with_suffix(".lex.gz"), cached] if source.origin == "bundled" else [cached]


class SpellDictionary:
    """One Hunspell dictionary: spylls' verdicts from a precompiled :class:`Lexicon` where one exists,
    spylls itself (parsed on first need, about a second) for the rest and for suggestions.

    A per-word verdict cache keeps repeated look-ups cheap (dict operations are atomic under the GIL)."""

    def __init__(self, source: DictionaryFile, impl: Any = None, lexicon: Lexicon | None = None) -> None:
        if impl is None and lexicon is None:
            raise ValueError("a dictionary needs a lexicon or a loaded spylls dictionary")
        self.source = source
        self.lexicon = lexicon
        self._impl = impl
        self._impl_lock = threading.Lock()
        self._impl_failed = False
        self._verdicts: dict[str, bool] = {}
        self.alphabet = lexicon.alphabet if lexicon is not None else self._alphabet(impl)

    @staticmethod
    def _alphabet(impl: Any) -> frozenset[str]:
        """The lower-case letters this dictionary spells with (from TRY and its words)."""
        letters: set[str] = set((getattr(impl.aff, "TRY", "") or "").lower())
        for entry in getattr(impl.dic, "words", ()):
            letters.update(getattr(entry, "stem", "").lower())
        return frozenset(c for c in letters if c.isalpha())

    @property
    def spylls_loaded(self) -> bool:
        return self._impl is not None

    def spylls(self) -> Any | None:
        """The spylls dictionary, parsed on first call (thread-safe); None if it cannot be read."""
        if self._impl is None and not self._impl_failed:
            with self._impl_lock:
                if self._impl is None and not self._impl_failed:
                    from spylls.hunspell import Dictionary  # imported on first use: it is not free

                    try:
                        self._impl = Dictionary.from_files(str(self.source.stem))
                    except Exception as exc:  # noqa: BLE001 - a broken file must not break checking
                        self._impl_failed = True
                        log.error("spelling: %s cannot be read by spylls (%s: %s)", self.source.dic, type(exc).__name__, exc)
        return self._impl

    def can_spell(self, word: str) -> bool:
        """False for words in another script (CJK, Greek in an English text): not ours to judge."""
        return all(c in self.alphabet for c in word.lower() if c.isalpha())

    def lookup(self, word: str) -> bool:
        hit = self._verdicts.get(word)
        if hit is None:
            hit = self.lexicon.lookup(word) if self.lexicon is not None else None
            if hit is None:
                hit = self._spylls_lookup(word)
            if len(self._verdicts) >= LOOKUP_CACHE_SIZE:
                self._verdicts.clear()
            self._verdicts[word] = hit
        return hit

    def _spylls_lookup(self, word: str) -> bool:
        impl = self.spylls()
        if impl is None:
            return True  # unreadable: flag nothing rather than everything
        try:
            return bool(impl.lookup(word))
        except Exception:  # spylls bugs on odd input must not stop the check
            log.debug("spylls lookup failed on %r", word, exc_info=True)
            return True

    def suggest(self, word: str) -> list[str]:
        """Hunspell's own suggestions, in Hunspell's order (slow: tens of milliseconds)."""
        impl = self.spylls()
        if impl is None:
            return []
        try:
            return list(impl.suggest(word))
        except Exception:  # see _spylls_lookup
            log.debug("spylls suggest failed on %r", word, exc_info=True)
            return []


class DictionaryCache:
    """Loads each dictionary file once per process, lazily; concurrent callers wait for one load.

    A dictionary with a lexicon that matches its files loads in tens of milliseconds and parses
    spylls only when asked for suggestions; one without is parsed by spylls at once, and a lexicon
    for the next start is built in a background process and cached."""

    def __init__(self, build_missing: bool = True) -> None:
        self._lock = threading.Lock()
        self._file_locks: dict[Path, threading.Lock] = {}
        self._loaded: dict[Path, SpellDictionary | None] = {}
        self._by_source: dict[DictionaryFile, SpellDictionary | None] = {}
        self.errors: dict[Path, str] = {}
        self.build_missing = build_missing

    def get(self, source: DictionaryFile) -> SpellDictionary | None:
        if source in self._by_source:  # the hot path: no file system call per paragraph
            return self._by_source[source]
        key = source.dic.resolve()
        with self._lock:
            lock = self._file_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._loaded:
                self._loaded[key] = self._load(source, key)
            self._by_source[source] = self._loaded[key]
            return self._loaded[key]

    def _load(self, source: DictionaryFile, key: Path) -> SpellDictionary | None:
        try:
            digest = file_digest(source.dic, source.aff)
        except OSError as exc:
            self.errors[key] = f"{source.dic}: cannot be read ({exc})"
            log.error("spelling: %s", self.errors[key])
            return None
        for path in lexicon_paths(source, digest):
            if path.is_file():
                found = Lexicon.read(path, digest, lexicon_cache_dir() / "index")
                if found is not None:
                    log.info("spelling: %s (%s) from its lexicon %s", source.dic, source.origin, path)
                    return SpellDictionary(source, lexicon=found)
        loaded = self._load_spylls(source, key)
        # Not for a workspace's own dictionaries (settings): only files installed on this machine, or
        # bundled ones whose lexicon did not ship (an install that left out package data).
        if loaded is not None and self.build_missing and source.origin != "settings":
            start_lexicon_build(source, lexicon_paths(source, digest)[-1])
        return loaded

    def _load_spylls(self, source: DictionaryFile, key: Path) -> SpellDictionary | None:
        from spylls.hunspell import Dictionary  # imported on first use: it is not free

        try:
            impl = Dictionary.from_files(str(source.stem))
        except Exception as exc:  # noqa: BLE001
            self.errors[key] = f"{source.dic}: cannot be read by spylls ({type(exc).__name__}: {exc})"
            log.error("spelling: %s", self.errors[key])
            return None
        log.info("spelling: loaded %s (%s) with spylls", source.dic, source.origin)
        return SpellDictionary(source, impl=impl)


def start_lexicon_build(source: DictionaryFile, out: Path) -> None:
    """Build ``out`` for the next start in a detached, low-priority process (a minute or two),
    unless an earlier build for the same files gave up."""
    if failure_marker(out).exists():
        return
    try:
        subprocess.Popen(
            [sys.executable, "-m", "marginalia_spelling.lexicon_build", "--background", "--quiet", str(source.dic), str(out)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        log.info("spelling: cannot start the lexicon build for %s (%s)", source.dic, exc)
    else:
        log.info("spelling: building a lexicon of %s in the background for faster starts", source.dic)


# One per process: every plugin instance and thread shares the loaded dictionaries.
DICTIONARIES = DictionaryCache()
