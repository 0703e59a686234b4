"""Settings of the LanguageTool plugin (under ``grammar`` in the configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from lsp_server.config import restricted

Mode = Literal["auto", "local", "remote", "off"]


@dataclass
class LanguageToolSettings:
    """LanguageTool grammar checking. ``mode``: "auto" uses a local install when one is found
    and is off otherwise (``marginalia doctor`` says so); "local" starts LanguageTool's own
    server on 127.0.0.1 from a local install (``marginalia languagetool install``); "remote"
    sends text to ``url`` and nowhere else; "off" disables it."""

    # `[languagetool] mode = "remote"` reads as users of LanguageTool and LTeX expect.
    section_aliases: ClassVar[tuple[str, ...]] = ("languagetool",)

    mode: Mode = "auto"
    # Remote server, e.g. "https://languagetool.example.org" (mode "remote" only).
    url: str = field(default="", metadata=restricted())
    username: str = field(default="", metadata=restricted())
    api_key: str = field(default="", metadata=restricted())
    # Folder holding LanguageTool-<version>/ (default: $LTP_PATH or ~/.cache/language_tool_python),
    # or a LanguageTool folder with languagetool-server.jar itself.
    install_path: str = field(default="", metadata=restricted("machine"))
    java_path: str = field(default="java", metadata=restricted("machine"))
    startup_timeout: float = field(default=60.0, metadata={"minimum": 1, "maximum": 600})
    request_timeout: float = field(default=30.0, metadata={"minimum": 1, "maximum": 600})
    max_concurrent_requests: int = field(default=2, metadata={"minimum": 1, "maximum": 32})
    # The writer's first language, for false-friend rules (BCP-47, e.g. "de-DE").
    mother_tongue: str = ""
    enabled_rules: list[str] = field(default_factory=list)
    disabled_rules: list[str] = field(default_factory=list)
    enabled_categories: list[str] = field(default_factory=list)
    disabled_categories: list[str] = field(default_factory=list)
    # LanguageTool's "picky" level: more style rules.
    picky: bool = False
    # LanguageTool's own spell checker; off because the spelling plugin knows your dictionary.
    spelling: bool = False
