"""The precompiled lexicons answer exactly as spylls does, and are trusted only for their own files."""

from __future__ import annotations

import gzip
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_location import MANUSCRIPT_SUFFIXES
from marginalia_spelling import SpellingPlugin, SpellingSettings
from marginalia_spelling.dictionaries import (
    BUNDLED_DIR,
    DictionaryCache,
    DictionaryFile,
    find_dictionary,
    start_lexicon_build,
)
from marginalia_spelling.lexicon import Lexicon, capital, failure_marker, file_digest
from marginalia_spelling.lexicon_build import build
from marginalia_spelling.tokens import iter_words
from spylls.hunspell import Dictionary

from lsp_server.documents import parse_document
from lsp_server.plugin import CheckContext

LANGUAGE_IDS = {".tex": "latex", ".md": "markdown", ".qmd": "quarto", ".rmd": "markdown"}
BUNDLED = sorted(p.stem for p in BUNDLED_DIR.glob("*.dic"))


def bundled_lexicon(name: str) -> Lexicon:
    dic = BUNDLED_DIR / f"{name}.dic"
    found = Lexicon.read(dic.with_suffix(".lex.gz"), file_digest(dic, dic.with_suffix(".aff")))
    assert found is not None, f"hunspell/{name}.lex.gz is missing or stale: python -m marginalia_spelling.lexicon_build"
    return found


def corpus_words(corpus: Path) -> set[str]:
    """Every distinct word of the corpus as the plugin tokenizes it, its hyphen parts, and the
    lower-case and Capitalised renderings the checker also looks up."""
    words: set[str] = set()
    for path in corpus.rglob("*"):
        lid = LANGUAGE_IDS.get(path.suffix.lower())
        if lid is None or path.suffix.lower() not in MANUSCRIPT_SUFFIXES or not path.is_file():
            continue
        for chunk in parse_document(path.read_text(encoding="utf-8", errors="replace"), lid).chunks:
            for w in iter_words(chunk.text):
                words.update((w.text, *w.text.split("-")))
    words |= {w.lower() for w in words} | {capital(w.lower()) for w in words}
    words.discard("")
    return words


def generated_forms(lexicon: Lexicon, seed: int) -> set[str]:
    """A sample of the lexicon's forms in each casing, with one-letter slips of them, and its
    forms spelt with inner capitals."""
    rnd = random.Random(seed)
    out: set[str] = set()
    assert isinstance(lexicon._forms, dict)  # read from the lexicon file, not from an index
    for form in rnd.sample(sorted(lexicon._forms), 2000):
        i = rnd.randrange(len(form))
        out |= {form, capital(form), form.upper(), form[:i] + form[i + 1 :], form[:i] + rnd.choice("aeinrst'-") + form[i:]}
    out |= set(rnd.sample(sorted(lexicon._mixed), min(300, len(lexicon._mixed))))
    out.discard("")
    return out


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_lexicons_match_their_dictionaries(name: str) -> None:
    lexicon = bundled_lexicon(name)
    assert lexicon.lookup("spelling") is True and lexicon.lookup("speling") is False


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_verdicts_equal_spylls_on_every_corpus_word_and_generated_forms(name: str, corpus_dir: Path) -> None:
    lexicon = bundled_lexicon(name)
    spylls = Dictionary.from_files(str(BUNDLED_DIR / name))
    words = corpus_words(corpus_dir) | generated_forms(lexicon, seed=len(name))
    assert len(words) > 20000
    decided = {w: lexicon.lookup(w) for w in sorted(words)}
    undecided = [w for w, v in decided.items() if v is None]
    wrong = [(w, v) for w, v in decided.items() if v is not None and v != bool(spylls.lookup(w))]
    assert wrong == []
    # The lexicon must decide nearly everything, or spylls would be parsed during the first check;
    # it leaves to spylls only UPPER-CASE words that spylls' one-letter quirk might accept and
    # casings it holds no verdict for (CodeBook), never a lower-case or Capitalised word.
    assert len(undecided) <= len(words) // 1000, undecided[:20]
    assert not [w for w in undecided if w.islower() or w == capital(w.lower())]
    assert sum(v is True for v in decided.values()) > len(words) // 3  # both verdicts occur: a lexicon of "False" would fail above


def test_a_lexicon_is_not_trusted_for_other_files(tmp_path: Path) -> None:
    dic = BUNDLED_DIR / "en_US.dic"
    stale = tmp_path / "en_US.lex.gz"
    shutil.copy(dic.with_suffix(".lex.gz"), stale)
    assert Lexicon.read(stale, file_digest(dic, dic.with_suffix(".aff"))) is not None
    assert Lexicon.read(stale, "0" * 64) is None
    stale.write_bytes(b"not gzip at all")
    assert Lexicon.read(stale, file_digest(dic, dic.with_suffix(".aff"))) is None


def test_a_later_read_answers_from_the_cached_index_exactly_as_the_lexicon_file(tmp_path: Path) -> None:
    dic = BUNDLED_DIR / "en_US.dic"
    digest = file_digest(dic, dic.with_suffix(".aff"))
    plain = bundled_lexicon("en_US")
    first = Lexicon.read(dic.with_suffix(".lex.gz"), digest, tmp_path)
    (index,) = tmp_path.glob("*.index")  # left for the next start
    later = Lexicon.read(dic.with_suffix(".lex.gz"), digest, tmp_path)
    assert first is not None and later is not None
    assert isinstance(first._forms, dict) and not isinstance(later._forms, dict)
    assert isinstance(plain._forms, dict)
    forms = sorted(plain._forms)
    sample = random.Random(7).sample(forms, 3000)
    words = sample + [capital(w) for w in sample[:1000]] + [w.upper() for w in sample[:500]] + [w + "q" for w in sample[:1000]]
    words += ["McDonald's", "naïve", "Teh", "analysys", "21st", "colour", "e-mail"]
    assert [later.lookup(w) for w in words] == [plain.lookup(w) for w in words]
    assert Lexicon.read(dic.with_suffix(".lex.gz"), "0" * 64, tmp_path) is None  # the digest is checked here too
    index.write_bytes(b"\x00damaged")
    again = Lexicon.read(dic.with_suffix(".lex.gz"), digest, tmp_path)
    assert again is not None and isinstance(again._forms, dict)  # the file itself, and the index rewritten
    assert not isinstance(Lexicon.read(dic.with_suffix(".lex.gz"), digest, tmp_path)._forms, dict)  # type: ignore[union-attr]


def test_damaged_lexicon_is_refused(tmp_path: Path) -> None:
    dic = BUNDLED_DIR / "en_US.dic"
    digest = file_digest(dic, dic.with_suffix(".aff"))
    broken = tmp_path / "broken.lex.gz"
    with gzip.open(broken, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"format": "marginalia-lexicon", "version": 1, "digest": digest}) + "\nword\tother\n1\n")
    assert Lexicon.read(broken, digest) is None


def write_dictionary(folder: Path, name: str, words: list[str], aff: str = "SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.aff").write_text(aff, encoding="utf-8")
    dic = folder / f"{name}.dic"
    dic.write_text(f"{len(words)}\n" + "\n".join(words) + "\n", encoding="utf-8")
    return dic


def test_built_lexicon_of_a_small_dictionary_agrees_with_spylls(tmp_path: Path) -> None:
    dic = write_dictionary(tmp_path, "xq_XQ", ["cat/S", "Paris", "McDonald/S", "dog", "NASA", "iPhone"])
    out = tmp_path / "xq_XQ.lex.gz"
    assert build(dic, out) > 5
    lexicon = Lexicon.read(out, file_digest(dic, dic.with_suffix(".aff")))
    spylls = Dictionary.from_files(str(dic.with_suffix("")))
    assert lexicon is not None
    for word in ["cat", "cats", "Cats", "CATS", "cAts", "Paris", "paris", "PARIS", "McDonald", "McDonalds", "MCDONALDS",
                 "mcdonald", "dog", "dogs", "Dog", "NASA", "Nasa", "nasa", "iPhone", "IPHONE", "Iphone", "cat-dog",
                 "cat-dgo", "-cat", "cat-", "123", "1.5", "caat", "c", "S", "s"]:
        verdict = lexicon.lookup(word)
        assert verdict is None or verdict == bool(spylls.lookup(word)), word
    assert lexicon.lookup("cats") is True and lexicon.lookup("caat") is False and lexicon.lookup("cat-dog") is True


def test_installed_dictionary_without_lexicon_is_read_by_spylls_and_one_is_built_for_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    started: list[tuple[DictionaryFile, Path]] = []
    monkeypatch.setattr("marginalia_spelling.dictionaries.start_lexicon_build", lambda s, out: started.append((s, out)))
    dic = write_dictionary(tmp_path / "dicts", "xq_XQ", ["cat/S", "dog"])
    source = DictionaryFile("xq_XQ", dic, dic.with_suffix(".aff"), "system")
    first = DictionaryCache().get(source)
    assert first is not None and first.lexicon is None and first.spylls_loaded
    assert len(started) == 1
    build(dic, started[0][1])  # what the background process does
    second = DictionaryCache().get(source)
    assert second is not None and second.lexicon is not None and not second.spylls_loaded
    assert second.lookup("cats") and not second.lookup("cast")
    dic.write_text("1\ncow\n", encoding="utf-8")  # the dictionary changed: its old lexicon is ignored
    third = DictionaryCache().get(source)
    assert third is not None and third.lexicon is None and third.lookup("cow") and not third.lookup("cats")


def test_bundled_dictionary_loads_without_spylls_until_suggestions() -> None:
    source = find_dictionary("en-GB")
    assert source is not None and source.origin == "bundled"
    loaded = DictionaryCache().get(source)
    assert loaded is not None and loaded.lexicon is not None and not loaded.spylls_loaded
    assert loaded.lookup("colour") and not loaded.lookup("colourr")
    assert not loaded.spylls_loaded
    assert "colour" in loaded.suggest("colourr")
    assert loaded.spylls_loaded


def test_status_says_the_bundled_dictionary_is_read_from_its_lexicon() -> None:
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings(), language="en-GB")
    assert [f.data["word"] for f in plugin.check_chunk(parse_document("A colour wrold.", "plaintext").chunks[0], ctx) if f.data] == ["wrold"]
    ready, line = plugin.status()
    assert ready and "en-GB" in line and "precompiled lexicon" in line


def run_background_build(dic: Path, out: Path) -> int:
    """As a server starts it (in its own process: it lowers its priority and limits)."""
    cmd = [sys.executable, "-m", "marginalia_spelling.lexicon_build", "--background", "--quiet", str(dic), str(out)]
    return subprocess.run(cmd, check=False, timeout=120).returncode


def test_background_build_writes_a_lexicon_and_leaves_no_marker(tmp_path: Path) -> None:
    dic = write_dictionary(tmp_path, "xq_XQ", ["cat/S", "dog"])
    out = tmp_path / "cache" / "xq_XQ.lex.gz"
    assert run_background_build(dic, out) == 0
    assert Lexicon.read(out, file_digest(dic, dic.with_suffix(".aff"))) is not None
    assert sorted(p.name for p in out.parent.iterdir()) == ["xq_XQ.lex.gz"]


def test_a_failed_background_build_is_not_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dic = write_dictionary(tmp_path, "xq_XQ", ["cat/S"], aff="SET UTF-8\nCOMPLEXPREFIXES\nSFX S Y 1\nSFX S 0 s .\n")
    out = tmp_path / "cache" / "xq_XQ.lex.gz"
    assert run_background_build(dic, out) == 1
    assert not out.exists() and "COMPLEXPREFIXES" in failure_marker(out).read_text(encoding="utf-8")
    spawned: list[object] = []
    monkeypatch.setattr("marginalia_spelling.dictionaries.subprocess.Popen", lambda *a, **k: spawned.append(a))
    start_lexicon_build(DictionaryFile("xq_XQ", dic, dic.with_suffix(".aff"), "system"), out)
    assert spawned == []
