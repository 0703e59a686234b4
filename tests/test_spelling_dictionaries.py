"""Finding and loading Hunspell dictionaries: language resolution, search order, one load per process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from marginalia_spelling import SpellingPlugin, SpellingSettings
from marginalia_spelling import dictionaries as dmod
from marginalia_spelling.dictionaries import BUNDLED_DIR, DictionaryCache, candidate_names, find_dictionary

from lsp_server.documents.plaintext import parse_plaintext
from lsp_server.plugin import CheckContext


def write_dictionary(folder: Path, name: str, words: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.aff").write_text("SET UTF-8\nTRY esaitnrulodcpmvgfbhqjyxzkw\n", encoding="utf-8")
    (folder / f"{name}.dic").write_text(f"{len(words)}\n" + "\n".join(words) + "\n", encoding="utf-8")
    return folder / f"{name}.dic"


def test_bundled_english_needs_no_system_package() -> None:
    for lang, name in [("en-US", "en_US"), ("en-GB", "en_GB"), ("en", "en_US"), ("en_gb", "en_GB")]:
        found = find_dictionary(lang)
        assert found is not None and found.name == name and found.dic.parent == BUNDLED_DIR, lang
    for licence in ("LICENSE-en_US.txt", "LICENSE-en_GB.txt", "README.md"):
        assert (BUNDLED_DIR / licence).is_file()


def test_candidate_names() -> None:
    assert candidate_names("de-DE")[:2] == ["de_DE", "de-DE"]
    assert candidate_names("fr") == ["fr", "fr_FR"]
    assert candidate_names("en-AU")[:3] == ["en_AU", "en-AU", "en_GB"]
    assert candidate_names("zh-Hant-TW")[0] == "zh_TW"
    assert candidate_names("???") == []


def test_language_resolution_with_installed_dictionaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dmod, "SYSTEM_DIRS", (tmp_path / "system",))
    monkeypatch.setenv("DICPATH", str(tmp_path / "dicpath"))
    write_dictionary(tmp_path / "system", "fr_FR", ["bonjour"])
    write_dictionary(tmp_path / "system", "de_AT", ["servus"])
    write_dictionary(tmp_path / "dicpath", "fr_FR", ["salut"])
    found = find_dictionary("fr")
    assert found is not None and found.origin == "DICPATH"  # DICPATH wins over system folders
    found = find_dictionary("de-DE")
    assert found is not None and found.name == "de_AT"  # any regional variant beats nothing
    assert find_dictionary("it") is None
    own = write_dictionary(tmp_path / "mine", "fr_FR", ["coucou"])
    found = find_dictionary("fr-FR", [own])
    assert found is not None and found.dic == own and found.origin == "settings"


def test_settings_dictionary_folder_checks_another_language(tmp_path: Path) -> None:
    write_dictionary(tmp_path / "dicts", "xq_XQ", ["bonjour", "le", "monde"])
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings(dictionaries=["dicts"]), language="xq", workspace_root=tmp_path)
    doc = parse_plaintext("Bonjour le mondee")
    assert [doc.source[f.start : f.end] for f in plugin.check_chunk(doc.chunks[0], ctx)] == ["mondee"]
    assert "xq: " in plugin.status()[1]


def test_each_dictionary_loads_once_even_when_asked_concurrently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spylls.hunspell import Dictionary

    calls: list[str] = []
    real = Dictionary.from_files

    def slow_load(path: str) -> Dictionary:
        calls.append(path)
        time.sleep(0.2)
        return real(path)

    monkeypatch.setattr(Dictionary, "from_files", staticmethod(slow_load))
    source = find_dictionary("xq", [write_dictionary(tmp_path, "xq_XQ", ["word"])])
    assert source is not None
    cache = DictionaryCache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(source))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1 and results[0] is not None
    assert results[0].lookup("word") and not results[0].lookup("wrod")


def test_unreadable_dictionary_is_reported_not_raised(tmp_path: Path) -> None:
    dic = tmp_path / "xq_XQ.dic"
    dic.write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "xq_XQ.aff").write_bytes(b"\x00\x01SET NOPE\nPFX A Y x\n")
    source = find_dictionary("xq", [dic])
    assert source is not None
    cache = DictionaryCache()
    assert cache.get(source) is None
    assert str(dic) in next(iter(cache.errors.values()))  # kept for `marginalia doctor`
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings(dictionaries=[str(dic)]), language="xq")
    assert plugin.check_chunk(parse_plaintext("wrold").chunks[0], ctx) == []
    ready, line = plugin.status()
    assert not ready and "cannot be read" in line
