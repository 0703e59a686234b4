"""The rewrite plugin: lazy actions, resolution with markup protection, minimal edits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from marginalia_rewrite import RewritePlugin, RewriteSettings
from marginalia_rewrite.protect import mask
from model_factory import tiny_model

from lsp_server.documents import parse_document
from lsp_server.plugin import Action, CheckContext
from lsp_server.runtime import GenerationParams, ModelSettings, Prompt, release_all
from lsp_server.runtime.backend import Generated, ShouldStop


@dataclass
class ScriptedModel:
    """Stands in for an instruct model: applies ``edit`` to the masked text it is given."""

    edit: Callable[[str], str]
    description: str = "scripted"
    prompts: list[Prompt] = field(default_factory=list)

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
        self.prompts.append(prompt)
        return Generated(self.edit(prompt.text), 5, False)

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def _release() -> Iterator[None]:
    yield
    release_all()


def plugin_with(edit: Callable[[str], str]) -> tuple[RewritePlugin, ScriptedModel]:
    model = ScriptedModel(edit)
    plugin = RewritePlugin()
    plugin.loader = lambda settings, progress: model  # type: ignore[assignment, method-assign]
    return plugin, model


def ctx(**kw: object) -> CheckContext:
    return CheckContext(settings=RewriteSettings(**kw))  # type: ignore[arg-type]


def apply(source: str, action: Action) -> str:
    assert action.edit is not None
    s, e, r = action.edit
    return source[:s] + r + source[e:]


SRC = "We fit $y = mx$ to teh data \\cite{smith2020}\nand find teh slope.\n\nSecond paragraph here.\n"


def test_actions_are_lazy_and_cover_the_paragraph_at_the_cursor() -> None:
    plugin, model = plugin_with(lambda t: t)
    doc = parse_document(SRC, "latex")
    actions = list(plugin.range_actions(doc, 3, 3, ctx()))
    assert [a.title for a in actions] == [
        "Rewrite: fix grammar", "Rewrite: more concise", "Rewrite: more formal", "Rewrite: simpler", "Rewrite: paraphrase",
    ]
    assert all(a.edit is None and a.command is None and a.kind == "refactor.rewrite" for a in actions)
    data = actions[0].data
    assert (data["start"], data["end"]) == (0, SRC.index("\n\n"))
    assert model.prompts == []  # nothing generated until one is picked


def test_selection_actions_and_limits() -> None:
    plugin, _ = plugin_with(lambda t: t)
    doc = parse_document(SRC, "latex")
    start = SRC.index("Second")
    [first, *_] = plugin.range_actions(doc, start - 2, start + 16, ctx())
    assert (first.data["start"], first.data["end"]) == (start, start + 16)  # blanks trimmed
    assert list(plugin.range_actions(doc, 0, len(SRC), ctx(max_chars=20))) == []
    only_math = SRC.index("$y")
    assert list(plugin.range_actions(doc, only_math, only_math + 8, ctx())) == []
    assert len(list(plugin.range_actions(doc, 0, 5, ctx(styles=["grammar", "nonsense"])))) == 1


def test_resolving_applies_the_minimal_edit_and_keeps_the_markup() -> None:
    plugin, model = plugin_with(lambda t: t.replace("teh", "the"))
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, ctx())
    done = plugin.resolve_action(doc, grammar, ctx())
    assert done is not None and done.edit is not None
    assert apply(SRC, done) == SRC.replace("teh", "the")
    s, e, _ = done.edit
    assert SRC[s:e].startswith("eh") and SRC[s:e].endswith("eh")  # from the first typo to the last, no further
    sent = model.prompts[0]
    assert "$" not in sent.text and "\\cite" not in sent.text and "⟦1⟧" in sent.text
    assert "\n" not in sent.text  # hard-wrapped lines reach the model as one paragraph
    assert sent.instruction.startswith("Correct the grammar")


def test_a_rewrite_that_loses_markup_ambiguously_is_rejected_with_a_message() -> None:
    plugin, _ = plugin_with(lambda t: "We fit it to the data and fit it to the data.")
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, ctx())
    with pytest.raises(ValueError, match="lost"):
        plugin.resolve_action(doc, grammar, ctx())


def test_a_rewrite_that_loses_markup_unambiguously_is_repaired() -> None:
    plugin, _ = plugin_with(lambda t: t.replace(" ⟦2⟧", "").replace("teh", "the"))
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, ctx())
    done = plugin.resolve_action(doc, grammar, ctx())
    assert done is not None and apply(SRC, done) == SRC.replace("teh", "the")


def test_markdown_links_and_code_survive() -> None:
    src = "Install with `pip install x` as [the docs](https://x.org/a) explain, it are easy.\n"
    plugin, _ = plugin_with(lambda t: t.replace("it are", "it is"))
    doc = parse_document(src, "markdown")
    [grammar, *_] = plugin.range_actions(doc, 0, 0, ctx())
    done = plugin.resolve_action(doc, grammar, ctx())
    assert done is not None and apply(src, done) == src.replace("it are", "it is")


def test_no_change_and_stale_text_are_reported() -> None:
    plugin, _ = plugin_with(lambda t: t)
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, ctx())
    with pytest.raises(ValueError, match="no change"):
        plugin.resolve_action(doc, grammar, ctx())
    edited = parse_document(SRC.replace("We fit", "We fitted"), "latex")
    with pytest.raises(ValueError, match="changed since"):
        plugin.resolve_action(edited, grammar, ctx())
    with pytest.raises(ValueError, match="malformed"):
        plugin.resolve_action(doc, Action("Rewrite: x", data={"style": "grammar", "start": 5, "end": 10**9}), ctx())


def test_chatty_answers_are_cleaned() -> None:
    plugin, _ = plugin_with(lambda t: 'Rewritten text: "' + t.replace("teh", "the") + '"')
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, ctx())
    done = plugin.resolve_action(doc, grammar, ctx())
    assert done is not None and apply(SRC, done) == SRC.replace("teh", "the")


def test_model_grammar_diagnostics_are_off_by_default_and_point_at_each_fix() -> None:
    plugin, _ = plugin_with(lambda t: t.replace("teh", "the"))
    doc = parse_document(SRC, "latex")
    assert list(plugin.check_document(doc, ctx())) == []
    c = ctx(model_grammar=True)
    plugin.runtime(c.settings).wait_ready(5)
    findings = list(plugin.check_document(doc, c))
    assert [(SRC[f.start : f.end], f.replacements) for f in findings] == [("teh", ("the",)), ("teh", ("the",))]
    assert all(f.rule == "rewrite.model-grammar" for f in findings)


def test_unavailable_model_offers_no_actions_and_resolve_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    plugin = RewritePlugin()
    settings = RewriteSettings(model=ModelSettings(name="marginalia-tests/absent", device="cpu"), load_wait=30)
    doc = parse_document(SRC, "latex")
    [grammar, *_] = plugin.range_actions(doc, 3, 3, CheckContext(settings=settings))  # first use starts loading
    with pytest.raises(ValueError, match=r"not ready.*not downloaded"):
        plugin.resolve_action(doc, grammar, CheckContext(settings=settings))
    assert list(plugin.range_actions(doc, 3, 3, CheckContext(settings=settings))) == []
    assert "not downloaded" in plugin.status()[1]


def test_real_tiny_model_never_corrupts_markup() -> None:
    """A tiny model's rewrite is nonsense, but it is applied only with all markup intact."""
    plugin = RewritePlugin()
    settings = RewriteSettings(model=ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization="none"), load_wait=120)
    doc = parse_document(SRC, "latex")
    for action in list(plugin.range_actions(doc, 3, 3, CheckContext(settings=settings)))[:2]:
        try:
            done = plugin.resolve_action(doc, action, CheckContext(settings=settings))
        except ValueError as exc:
            assert str(exc)
            continue
        assert done is not None
        new = apply(SRC, done)
        for token in mask(SRC[: SRC.index("\n\n")], "latex").tokens:
            assert token in new
