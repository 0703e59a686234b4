"""Finding weights: a local folder or the Hugging Face hub (cache first).

Only safetensors are ever loaded: pickle checkpoints (``.bin``, ``.pt``) can
run code when unpickled, so a folder that has nothing else is refused.
Downloads fetch weights, configs and tokenizer files only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsp_server.runtime.hardware import ModelUnavailable

Progress = Callable[[float, str], None]
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
ALLOW_PATTERNS = ["*.safetensors", "*.safetensors.index.json", "*.json", "tokenizer*", "*.model", "merges.txt", "vocab.*"]


def offline_env() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def check_weights(folder: Path) -> None:
    """Refuse folders without safetensors weights, naming what was found instead."""
    if not folder.is_dir():
        raise ModelUnavailable(f"model folder {folder} does not exist or is not a folder")
    files = [p for p in folder.iterdir() if p.is_file()]
    if any(p.name.endswith(".safetensors") for p in files):
        if not (folder / "config.json").is_file():
            raise ModelUnavailable(f"{folder} has safetensors weights but no config.json")
        return
    pickles = sorted(p.name for p in files if p.name.endswith(PICKLE_SUFFIXES))
    if pickles:
        raise ModelUnavailable(
            f"{folder} has only pickle weights ({', '.join(pickles[:3])}); they can run code when loaded and are "
            "refused. Convert them to safetensors (e.g. model.save_pretrained(dir, safe_serialization=True))"
        )
    raise ModelUnavailable(f"{folder} has no *.safetensors weights")


@dataclass(frozen=True)
class CachedModel:
    repo_id: str
    size_bytes: int
    revisions: tuple[str, ...]
    path: Path


def cached_models() -> list[CachedModel]:
    """Models in the local Hugging Face cache (empty when there is none)."""
    try:
        from huggingface_hub import scan_cache_dir

        info = scan_cache_dir()
    except Exception:  # noqa: BLE001 - no cache dir yet, or an unreadable one: nothing cached
        return []
    out = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        out.append(
            CachedModel(repo.repo_id, repo.size_on_disk, tuple(sorted(r.commit_hash[:12] for r in repo.revisions)), repo.repo_path)
        )
    return sorted(out, key=lambda c: c.repo_id)


def _tqdm_class(progress: Progress | None) -> Any:
    """A tqdm subclass that reports the download's byte progress through ``progress`` (0..1).

    ``snapshot_download`` opens a files bar ("Fetching 9 files") and byte bars whose total
    grows as each file starts; only byte bars are reported, since the small config files
    finish first and a file count would claim half the download while the weights have barely
    begun.
    """
    from tqdm.auto import tqdm

    class _Reporting(tqdm):  # type: ignore[misc, valid-type]
        def update(self, n: float | None = 1) -> bool | None:
            out = super().update(n)
            if progress is not None and self.total and self.unit == "B":
                progress(min(1.0, self.n / self.total), f"downloading {_mb(self.n)} of {_mb(self.total)}")
            return out

    return _Reporting


def _mb(n: float) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def fetch(repo_id: str, revision: str = "", *, download: bool = True, progress: Progress | None = None) -> Path:
    """A local snapshot folder for ``repo_id``: from the cache, else downloaded if allowed."""
    if not HUB_ID.match(repo_id):
        raise ModelUnavailable(f"model.name {repo_id!r} is neither \"auto\", a hub id (owner/name) nor an existing folder")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError

    rev = revision or None
    offline = offline_env() or not download
    try:
        folder = snapshot_download(
            repo_id, revision=rev, allow_patterns=ALLOW_PATTERNS, local_files_only=offline, tqdm_class=_tqdm_class(progress)
        )
    except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
        raise ModelUnavailable(f"{repo_id}{'@' + revision if revision else ''} is not on the hub: {exc}") from exc
    except LocalEntryNotFoundError as exc:
        why = "HF_HUB_OFFLINE is set" if offline_env() else ("model.download is off" if not download else "the hub cannot be reached")
        raise ModelUnavailable(
            f"{repo_id} is not downloaded and {why}. Run `marginalia models pull {repo_id}` where there is a network, "
            "or set model.path to a local folder. The other checks keep working."
        ) from exc
    except OSError as exc:  # connection refused, DNS, proxy: try the cache before giving up
        if offline:
            raise ModelUnavailable(f"{repo_id}: {exc}") from exc
        return fetch(repo_id, revision, download=False, progress=progress)
    path = Path(folder)
    check_weights(path)
    return path
