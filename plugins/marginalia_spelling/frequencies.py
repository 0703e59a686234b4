"""wordfreq's word frequencies, read in tens of milliseconds instead of half a second.

``wordfreq.get_frequency_dict`` imports wordfreq (langcodes, ftfy, regex:
about 0.2 s), decodes a gzipped msgpack file and builds its dictionary one
word at a time; the spelling check needs that dictionary before its first
verdict.  Here the same data file is read without importing wordfreq, and
its buckets are cached (``marshal``) under the user cache folder, keyed by
the SHA-256 of the data file, with a compact index of them
(:mod:`marginalia_spelling.frequency_index`): a later start answers lookups
from the index at once and builds the identical dictionary (same words, same
floats, same order) only when something walks the table.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import logging
import marshal
import os
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from pathlib import Path

from marginalia_spelling.frequency_index import IndexedFrequencies, build_index

log = logging.getLogger(__name__)

CACHE_FORMAT = ("marginalia-wordfreq", 5)
# The alphabet of a language's suggestions comes from its most frequent words (see ranking.Vocabulary).
ALPHABET_WORDS = 20000


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marginalia" / "wordfreq"


def data_file(lang: str) -> Path | None:
    """wordfreq's "best" list for exactly ``lang`` (large before small), found without importing wordfreq.

    None when wordfreq is missing or has no list under that exact code; the caller then asks wordfreq,
    which also matches nearby codes."""
    try:
        spec = importlib.util.find_spec("wordfreq")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not lang.isalpha():
        return None
    data = Path(spec.origin).parent / "data"
    for size in ("large", "small"):
        path = data / f"{size}_{lang}.msgpack.gz"
        if path.is_file():
            return path
    return None


def alphabet_of(frequencies: Mapping[str, float]) -> str:
    """The letters (and apostrophe) of the most frequent words, sorted: what edits are made of."""
    common = sorted(frequencies, key=frequencies.__getitem__, reverse=True)[:ALPHABET_WORDS]
    return "".join(sorted({c for w in common for c in w if c.isalpha() or c == "'"}))


def _read_cbpack(path: Path) -> list[list[str]]:
    """wordfreq's cBpack: a header, then one list of words per centibel of frequency, most frequent first."""
    import msgpack

    with gzip.open(path, "rb") as f:
        data = msgpack.load(f, raw=False)
    header = data[0] if data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: unexpected wordfreq header {header!r}")
    return [list(bucket) for bucket in data[1:]]


def build_frequencies(buckets: Sequence[Sequence[str] | str]) -> dict[str, float]:
    """wordfreq's ``get_frequency_dict`` from the buckets: bucket ``i`` holds words of frequency
    ``10 ** (-i / 100)`` (its ``cB_to_freq(-i)``); a word listed twice keeps its first place and
    last value, as there.  A bucket may be given as its words joined by newlines (the cache's form)."""
    lists = [b.split("\n") if isinstance(b, str) else b for b in buckets]
    values = chain.from_iterable(repeat(10 ** (-i / 100), len(words)) for i, words in enumerate(lists) if words and words != [""])
    return dict(zip(chain.from_iterable(w for w in lists if w and w != [""]), values, strict=True))


def load(lang: str) -> tuple[Mapping[str, float], str] | None:
    """(frequencies, alphabet) of ``lang`` from the cache or wordfreq's data file; None: ask wordfreq."""
    path = data_file(lang)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache_dir() / f"{lang}-{digest[:20]}.marshal"
    try:
        stored = marshal.loads(cached.read_bytes())
        fmt, version, stored_digest, alphabet, blobs, index = stored
        if (fmt, version) == CACHE_FORMAT and stored_digest == digest and isinstance(blobs, list):
            if index is None:
                return build_frequencies(blobs), alphabet
            keys, values, count, packed = index
            return IndexedFrequencies(keys, values, lambda: _unpack(packed, path), count), alphabet
        log.info("spelling: %s does not match %s; rebuilding it", cached, path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.info("spelling: unreadable frequency cache %s (%s); rebuilding it", cached, exc)
    try:
        buckets = _read_cbpack(path)
    except (OSError, ValueError, ImportError) as exc:
        log.info("spelling: cannot read %s (%s)", path, exc)
        return None
    freqs = build_frequencies(buckets)
    alphabet = alphabet_of(freqs)
    if not any("\n" in w for bucket in buckets for w in bucket):
        blobs = ["\n".join(b) for b in buckets]
        index = build_index(buckets)
        # With an index the words are kept marshalled (decoded on demand); without one, as a list.
        stored_index = None if index is None else (*index, marshal.dumps(blobs))
        _write_cache(cached, (*CACHE_FORMAT, digest, alphabet, [] if index else blobs, stored_index))
    return freqs, alphabet


def _unpack(packed: bytes, path: Path) -> dict[str, float]:
    """The full table from the cache's marshalled buckets, kept undecoded until something walks the
    table (decoding them is not free); from the data file itself if they are damaged."""
    try:
        blobs = marshal.loads(packed)
        if isinstance(blobs, list) and all(isinstance(b, str) for b in blobs):
            return build_frequencies(blobs)
    except (ValueError, EOFError, TypeError):
        pass
    log.info("spelling: damaged frequency cache for %s; reading the data file", path)
    try:
        return build_frequencies(_read_cbpack(path))
    except (OSError, ValueError, ImportError) as exc:
        log.info("spelling: cannot read %s (%s)", path, exc)
        return {}


# (format, version, data digest, alphabet, buckets,
#  (index keys, index buckets, number of words, marshalled buckets) or None)
CacheEntry = tuple[str, int, str, str, list[str], tuple[bytes, bytes, int, bytes] | None]


def _write_cache(path: Path, value: CacheEntry) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps(value))
        tmp.replace(path)
    except OSError as exc:
        log.info("spelling: cannot cache word frequencies at %s (%s)", path, exc)
        tmp.unlink(missing_ok=True)
