"""Writing statistics per document, for ``marginalia lint --stats``.

Sentences and words are counted in running prose (paragraphs, list items,
captions, footnotes; not headings, tables or code).  A formula or citation
counts as one word, as a reader reads it.  Lexical density is the share of
content words (not function words); the passive-voice ratio is the share of
sentences with a passive verb and, like lexical density, is given for
English prose only.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsp_server.documents.model import ProseDocument
from marginalia_style.prose import StyleText, is_content
from marginalia_style.rules import passive_voice
from marginalia_style.settings import StyleSettings

_NOT_PROSE = frozenset({"heading", "table", "code"})


@dataclass
class DocumentStats:
    path: str
    sentences: int = 0
    words: int = 0
    mean_sentence_words: float = 0.0
    longest_sentence_words: int = 0
    # None where the prose is not English (the measures rely on English function words and verbs).
    lexical_density: float | None = None
    passive_voice_ratio: float | None = None
    findings_by_rule: dict[str, int] = field(default_factory=dict)


def _display(uri: str) -> str:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    path = Path(unquote(parsed.path))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def compute(doc: ProseDocument, findings_by_rule: Mapping[str, int] | None = None) -> DocumentStats:
    stats = DocumentStats(_display(doc.uri), findings_by_rule=dict(sorted((findings_by_rule or {}).items())))
    lengths: list[int] = []
    english_words = content = english_sentences = passive = 0
    settings = StyleSettings()
    for chunk in doc.chunks:
        if chunk.role in _NOT_PROSE:
            continue
        text = StyleText(chunk)
        english = text.looks_english
        passive_starts = sorted(m.start for m in passive_voice.check(text, settings)) if english else []
        tokens = text.tokens
        for sentence in text.sentences:
            n = sum(1 for t in tokens[sentence.first : sentence.last] if t.letters or t.placeholder is not None)
            if n == 0:
                continue
            lengths.append(n)
            if english:
                english_sentences += 1
                k = bisect.bisect_left(passive_starts, sentence.start)
                passive += k < len(passive_starts) and passive_starts[k] < sentence.end
        if english:
            english_words += len(text.words)
            content += sum(1 for t in text.words if is_content(t))
    stats.sentences = len(lengths)
    stats.words = sum(lengths)
    stats.mean_sentence_words = round(stats.words / len(lengths), 1) if lengths else 0.0
    stats.longest_sentence_words = max(lengths, default=0)
    if english_words:
        stats.lexical_density = round(content / english_words, 3)
    if english_sentences:
        stats.passive_voice_ratio = round(passive / english_sentences, 3)
    return stats


def _percent(x: float | None) -> str:
    return "n/a (not English)" if x is None else f"{100 * x:.1f} %"


def render_text(all_stats: Sequence[DocumentStats]) -> str:
    out: list[str] = []
    for s in all_stats:
        out.append(f"{s.path}:")
        out.append(f"  sentences: {s.sentences}, words: {s.words}")
        out.append(f"  sentence length: mean {s.mean_sentence_words:.1f} words, longest {s.longest_sentence_words}")
        passive = _percent(s.passive_voice_ratio) + ("" if s.passive_voice_ratio is None else " of sentences")
        out.append(f"  lexical density: {_percent(s.lexical_density)}, passive voice: {passive}")
        if s.findings_by_rule:
            out.append("  findings by rule:")
            out.extend(f"    {rule}: {n}" for rule, n in sorted(s.findings_by_rule.items(), key=lambda kv: (-kv[1], kv[0])))
        else:
            out.append("  findings by rule: none")
    return "\n".join(out) + ("\n" if out else "")


def render(docs: Sequence[ProseDocument], findings: Sequence[Mapping[str, int]] | None = None, fmt: str = "text") -> str:
    """Statistics of ``docs`` (with each one's finding counts by rule, in the same order) as
    text, or as JSON (``{"files": [{"path": ..., "stats": {...}}]}``) when ``fmt`` is "json"."""
    counts = list(findings) if findings is not None else [{} for _ in docs]
    all_stats = [compute(doc, c) for doc, c in zip(docs, counts, strict=True)]
    if fmt == "json":
        files = [{"path": s.path, "stats": {k: v for k, v in asdict(s).items() if k != "path"}} for s in all_stats]
        return json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"
    return render_text(all_stats)
