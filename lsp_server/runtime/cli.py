"""``marginalia models list | info | pull``: what can run here, what is cached, fetch one.

``list`` never imports torch (it only reads the ladder and the HF cache);
``info`` does, to see the GPU; ``pull`` downloads with a progress bar.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from lsp_server.runtime.hardware import ModelUnavailable
from lsp_server.runtime.ladder import GIB, LADDER, Rung

PRECISIONS = ("4bit", "8bit", "bf16", "fp32")


def _gib(n: float) -> str:
    return f"{n / GIB:.1f} GiB"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="marginalia models", description="Models for completion and rewrites.")
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="the ladder of models, what is cached, and the memory each needs")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    info = sub.add_parser("info", help="this machine (GPU/RAM), the model 'auto' picks, or details of one model")
    info.add_argument("model", nargs="?", help="hub id or local folder (default: what model.name = auto picks)")
    pull = sub.add_parser("pull", help="download a model's safetensors weights into the Hugging Face cache")
    pull.add_argument("model", nargs="?", default="auto", help="hub id (default: what 'auto' picks here)")
    pull.add_argument("--revision", default="", help="branch, tag or commit to pin")
    return p


def _ladder_rows(cached: set[str]) -> list[dict[str, object]]:
    rows = []
    for r in LADDER:
        rows.append(
            {
                "model": r.hub_id,
                "params_b": r.params_b,
                "need_bytes": {p: r.need_bytes(p) for p in PRECISIONS},
                "cached": r.hub_id in cached,
                "note": r.note,
            }
        )
    return rows


def cmd_list(as_json: bool, out: TextIO) -> int:
    from lsp_server.runtime.hub import cached_models

    cache = cached_models()
    names = {c.repo_id for c in cache}
    rows = _ladder_rows(names)
    if as_json:
        extra = [{"model": c.repo_id, "size_bytes": c.size_bytes} for c in cache if c.repo_id not in {r.hub_id for r in LADDER}]
        json.dump({"ladder": rows, "other_cached": extra}, out, indent=2)
        out.write("\n")
        return 0
    out.write("Ladder for model.name = \"auto\" (memory needed: weights + ~0.6 GiB runtime)\n")
    out.write(f"{'model':32} {'params':>7} {'4bit':>9} {'8bit':>9} {'bf16':>9} {'fp32 CPU':>9}  cached\n")
    for r, row in zip(LADDER, rows, strict=True):
        need = [_gib(r.need_bytes(p)) for p in PRECISIONS]
        out.write(f"{r.hub_id:32} {r.params_b:6.2f}B {need[0]:>9} {need[1]:>9} {need[2]:>9} {need[3]:>9}  {'yes' if row['cached'] else 'no'}\n")
    others = [c for c in cache if c.repo_id not in {r.hub_id for r in LADDER}]
    if others:
        out.write("\nOther models in the Hugging Face cache:\n")
        for c in others:
            out.write(f"  {c.repo_id:40} {_gib(c.size_bytes)}\n")
    if not names:
        out.write("\nNothing is cached yet: `marginalia models pull` downloads what 'auto' picks here.\n")
    return 0


def _auto_rung() -> tuple[Rung, str]:
    from lsp_server.runtime.hardware import auto_rung, place, precision_of
    from lsp_server.runtime.settings import ModelSettings

    placement = place(ModelSettings())
    rung = auto_rung(placement)
    where = f"{placement.device}, {placement.quantization}, {_gib(placement.free_bytes)} free"
    return rung, f"{rung.hub_id} ({where}; needs {_gib(rung.need_bytes(precision_of(placement)))})"


def cmd_info(model: str | None, out: TextIO) -> int:
    from lsp_server.runtime import hardware
    from lsp_server.runtime.hub import cached_models, check_weights
    from lsp_server.runtime.ladder import rung_for

    if model and Path(model).expanduser().is_dir():
        folder = Path(model).expanduser()
        try:
            check_weights(folder)
        except ModelUnavailable as exc:
            out.write(f"{folder}: cannot be used: {exc}\n")
            return 1
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        size = sum(p.stat().st_size for p in folder.glob("*.safetensors"))
        out.write(f"{folder}: {cfg.get('model_type', '?')} model, {_gib(size)} of safetensors weights\n")
        return 0
    if model:
        rung = rung_for(model)
        cached = {c.repo_id: c for c in cached_models()}
        out.write(f"{model}: {'in the ladder' if rung else 'not in the ladder'}; ")
        out.write(f"cached ({_gib(cached[model].size_bytes)})\n" if model in cached else "not cached\n")
        if rung:
            for p in PRECISIONS:
                out.write(f"  {p:5} needs {_gib(rung.need_bytes(p))}\n")
        return 0
    out.write(f"CPU cores: {hardware.cpu_cores()}, available RAM: {_gib(hardware.available_ram())}\n")
    out.write(f"bitsandbytes: {hardware.bitsandbytes_version() or 'not installed'}\n")
    try:
        free = hardware.cuda_free_bytes()
    except ImportError:
        out.write("torch is not installed: pip install 'marginalia[model]'\n")
        return 1
    out.write(f"CUDA GPU: {_gib(free) + ' free' if free is not None else 'none'}\n")
    _rung, line = _auto_rung()
    out.write(f"model.name = \"auto\" picks: {line}\n")
    return 0


def cmd_pull(model: str, revision: str, out: TextIO) -> int:
    from lsp_server.runtime.hub import fetch

    if model == "auto":
        rung, line = _auto_rung()
        model = rung.hub_id
        out.write(f"auto picks {line}\n")
    try:
        folder = fetch(model, revision, download=True)  # tqdm shows the download on stderr
    except ModelUnavailable as exc:
        from huggingface_hub.errors import LocalEntryNotFoundError

        if isinstance(exc.__cause__, LocalEntryNotFoundError):
            out.write(
                f"cannot pull {model}: the Hugging Face hub cannot be reached from here (or HF_HUB_OFFLINE is set). "
                "Check the network or proxy, or set HF_ENDPOINT to a mirror.\n"
            )
        else:
            out.write(f"cannot pull {model}: {exc}\n")
        return 1
    out.write(f"{model} is ready in {folder}\n")
    return 0


def main(argv: list[str]) -> int:
    """Entry point for ``marginalia models ...``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help or a usage error: argparse already printed
        return int(exc.code or 0)
    out = sys.stdout
    try:
        if args.command == "list":
            return cmd_list(args.json, out)
        if args.command == "info":
            return cmd_info(args.model, out)
        return cmd_pull(args.model, args.revision, out)
    except ModelUnavailable as exc:
        out.write(f"{exc}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
