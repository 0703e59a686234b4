"""What a server start imports and loads before the first diagnostics (each test in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from marginalia_grammar import preflight

REPO = Path(__file__).resolve().parent.parent


def run_fresh(code: str, env: dict[str, str] | None = None) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO, timeout=120, env=env
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


HEAVY = ("torch", "transformers", "language_tool_python", "requests", "spylls", "wordfreq")


def test_starting_the_server_and_loading_plugins_imports_nothing_heavy() -> None:
    loaded = run_fresh(
        "import json, sys\n"
        "import lsp_server.server\n"
        "from lsp_server.plugin import discover\n"
        "plugins = discover()\n"
        f"print(json.dumps({{'plugins': sorted(plugins.plugins), 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    assert "spelling" in loaded["plugins"] and "grammar" in loaded["plugins"]  # type: ignore[operator]
    assert loaded["heavy"] == []


def test_first_spelling_check_needs_neither_spylls_nor_wordfreq_module() -> None:
    checked = run_fresh(
        "import json, sys\n"
        "from marginalia_spelling import SpellingPlugin, SpellingSettings\n"
        "from lsp_server.documents import parse_document\n"
        "from lsp_server.plugin import CheckContext\n"
        "doc = parse_document('Teh analysys of the reimplemented pipelines is colour-blind.', 'plaintext')\n"
        "plugin = SpellingPlugin()\n"
        "ctx = CheckContext(settings=SpellingSettings(), language='en-US')\n"
        "words = sorted(f.data['word'] for c in doc.chunks for f in plugin.check_chunk(c, ctx))\n"
        "print(json.dumps({'words': words, 'heavy': [m for m in ('spylls', 'wordfreq', 'torch') if m in sys.modules]}))\n"
    )
    assert checked["words"] == ["Teh", "analysys", "colour"]
    assert checked["heavy"] == []


def test_a_later_first_check_reads_word_frequencies_from_the_index_not_the_whole_table(tmp_path: Path) -> None:
    check = (
        "import json\n"
        "from marginalia_spelling import SpellingPlugin, SpellingSettings\n"
        "from marginalia_spelling.ranking import Vocabulary\n"
        "from lsp_server.documents import parse_document\n"
        "from lsp_server.plugin import CheckContext\n"
        "doc = parse_document('The excitatory changelog of teh univariate abilityes.', 'plaintext')\n"
        "ctx = CheckContext(settings=SpellingSettings(), language='en-US')\n"
        "words = sorted(f.data['word'] for c in doc.chunks for f in SpellingPlugin().check_chunk(c, ctx))\n"
        "table = Vocabulary.for_language('en').frequencies\n"
        "print(json.dumps({'words': words, 'built': type(table) is dict or table._full is not None}))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = run_fresh(check, env)  # no cache yet: the table is built (and the cache written)
    later = run_fresh(check, env)
    assert first["words"] == later["words"] == ["abilityes", "teh"]
    assert first["built"] is True and later["built"] is False


def test_language_tool_constants_spelt_out_in_preflight_match_the_library() -> None:
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION
    from language_tool_python.utils import JAR_NAMES, LTP_PATH_ENV_VAR

    assert tuple(JAR_NAMES) == preflight.JAR_NAMES
    assert LTP_PATH_ENV_VAR == preflight.LTP_PATH_ENV_VAR
    assert preflight.LTP_DOWNLOAD_VERSION == LTP_DOWNLOAD_VERSION
