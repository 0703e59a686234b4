"""Parsed .bib files kept on disk between sessions: same result as a parse, never stale, never fatal."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from marginalia_citations import bib_disk_cache, bibfile
from marginalia_citations.bibfile import BibCache, BibFile, decode_bytes, parse_bib_text
from marginalia_citations.gc_pause import gc_paused

HEAD = r"""@string{jt = "Journal of Things"}
@article{broken
  title={x}}
@book{twice, title={x}, title={y}, year={2000}}
@proceedings{P, title={Proc of {\"U}ber}, year=1999}
"""
ENTRY = "@inproceedings{{k{i}, title = {{On {{T}}hings, part {i}}}, journal = jt # \" II\", author = {{Doe, Jane and Roe, R{i}}}, crossref = {{P}}, year = {{2001}}}}\n"


def _big_bib(folder: Path, extra: str = "", encoding: str = "utf-8") -> Path:
    body = HEAD + extra + "".join(ENTRY.format(i=i) for i in range(2500))
    path = folder / "refs.bib"
    path.write_bytes(body.encode(encoding))
    assert bib_disk_cache.worth_caching(path.read_bytes())
    return path


def _summary(bib: BibFile) -> tuple[object, ...]:
    return (bib.all_entries, list(bib.entries), bib.strings, bib.problems, bib.encoding, bib.get("K7"), bib.decoded(bib.entries["k3"], "booktitle"))


@pytest.fixture(autouse=True)
def _cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "marginalia" / "bib"


def test_a_second_session_reads_the_parse_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    path = _big_bib(tmp_path)
    text, enc, _ = decode_bytes(path.read_bytes())
    expected = parse_bib_text(text, str(path), enc)
    assert len(expected.all_entries) == 2502 and {p.kind for p in expected.problems} == {"syntax", "duplicate-field"}
    first = BibCache().load(path)
    assert _summary(first) == _summary(expected)
    assert len(list(_cache_home.glob("*.json"))) == 1

    def no_parse(*args: object, **kwargs: object) -> BibFile:
        raise AssertionError("parsed again instead of reading the cache")

    monkeypatch.setattr(bibfile, "parse_bib_text", no_parse)
    again = BibCache().load(path)  # a new session: nothing in memory
    assert _summary(again) == _summary(expected)
    assert again.path == str(path) and all(e.path == str(path) for e in again.all_entries)


def test_an_edited_file_is_parsed_again(tmp_path: Path, _cache_home: Path) -> None:
    path = _big_bib(tmp_path)
    BibCache().load(path)
    path.write_text(path.read_text(encoding="utf-8").replace("part 7}", "part seven}"), encoding="utf-8")
    bib = BibCache().load(path)
    assert bib.value(bib.entries["k7"], "title") == "On {T}hings, part seven"
    assert len(list(_cache_home.glob("*.json"))) == 2


def test_the_encoding_note_names_the_file_it_was_read_from(tmp_path: Path) -> None:
    path = _big_bib(tmp_path, extra="@misc{m, title={Caf\u00e9}}\n", encoding="latin-1")
    BibCache().load(path)
    other = tmp_path / "copy"
    other.mkdir()
    copy = other / "other.bib"
    copy.write_bytes(path.read_bytes())
    bib = BibCache().load(copy)  # same bytes: read from the cache
    notes = [p.message for p in bib.problems if p.kind == "encoding"]
    assert len(notes) == 1 and notes[0].startswith("other.bib: not valid UTF-8")
    assert bib.problems[0].kind == "encoding"
    assert bib.decoded(bib.entries["m"], "title") == "Café"


def test_a_damaged_cache_file_means_parsing_again(tmp_path: Path, _cache_home: Path) -> None:
    path = _big_bib(tmp_path)
    expected = _summary(BibCache().load(path))
    for damage in ("{not json", '{"format": 1, "length": 3}', '{"format": 1, "length": 0, "strings": {}, "problems": [], "entries": [[1]]}'):
        (cached,) = _cache_home.glob("*.json")
        cached.write_text(damage, encoding="utf-8")
        assert _summary(BibCache().load(path)) == expected
        (rewritten,) = _cache_home.glob("*.json")
        assert rewritten.read_text(encoding="utf-8") != damage  # the good parse replaced it


def test_small_files_are_not_cached_and_an_unwritable_cache_is_harmless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    small = tmp_path / "small.bib"
    small.write_text(HEAD, encoding="utf-8")
    assert len(BibCache().load(small).all_entries) == 2
    assert not _cache_home.exists()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails
    assert len(BibCache().load(_big_bib(tmp_path)).all_entries) == 2502


def test_only_the_newest_files_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    monkeypatch.setattr(bib_disk_cache, "MAX_CACHED_FILES", 2)
    path = _big_bib(tmp_path)
    for n in range(4):
        path.write_text(path.read_text(encoding="utf-8") + f"@misc{{extra{n}, title={{x}}}}\n", encoding="utf-8")
        BibCache().load(path)
    assert len(list(_cache_home.glob("*.json"))) == 2


def test_collection_is_paused_while_parsing_and_restored_after(tmp_path: Path) -> None:
    assert gc.isenabled()
    seen: list[bool] = []
    with gc_paused():
        with gc_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # still inside the outer pause
        other = threading.Thread(target=lambda: seen.append(_pause_and_report()))
        other.start()
        other.join()
        seen.append(gc.isenabled())  # the other thread's pause ended, ours has not
    assert seen == [False, False, False, False] and gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
    path = _big_bib(tmp_path)
    assert len(BibCache().load(path).all_entries) == 2502 and gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a failing parse")
    assert gc.isenabled()


def _pause_and_report() -> bool:
    with gc_paused():
        return gc.isenabled()
