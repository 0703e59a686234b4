"""Model runtime benchmark: load time, weight memory, completion latency, decode speed, cancel.

Random weights in real architectures' dimensions (speed does not depend on the
weights): Qwen2-0.5B- and 1.5B-style configs with the 151,936-token vocabulary,
saved as safetensors and loaded through the runtime's own loading path
(``lsp_server.runtime.local.load``): unquantized, bitsandbytes 8-bit and 4-bit,
and (CPU only) torch's dynamic int8 (``int8``, what ``quantization = "auto"``
picks on a CPU).  ``bf16`` on the CPU loads fp32 and casts (the runtime never
does; it is measured to show why).  Runs on CUDA when torch sees a GPU
(``--device auto``), else on the CPU.  Besides wall times it records the
process CPU seconds per decoded token and the LM head's share of a decoding
step, which stay meaningful when other work shares the machine.  Prints a
table; ``--json`` writes the figures for MODEL_BENCHMARKS.md.

    python bench/bench_model.py --sizes 0.5b --quant none,int8,8bit,4bit --runs 3
    python bench/bench_model.py --sizes 0.5b,1.5b --quant bf16,4bit --device cuda   # GPU
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CONFIGS: dict[str, dict[str, Any]] = {
    # Qwen2.5-0.5B: hidden 896, 24 layers, 14 heads (2 KV), MLP 4864, tied embeddings.
    "0.5b": dict(hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                 intermediate_size=4864, vocab_size=151936, tie_word_embeddings=True),
    # Qwen2.5-1.5B: hidden 1536, 28 layers, 12 heads (2 KV), MLP 8960, tied embeddings.
    "1.5b": dict(hidden_size=1536, num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2,
                 intermediate_size=8960, vocab_size=151936, tie_word_embeddings=True),
}


def _text() -> str:
    """Real prose for the tokenizer and the prompt: the corpus if present, else this repository's docs."""
    for cand in (REPO.parent / "shared" / "corpus" / "good-enough-practices" / "index.md", REPO / "README.md"):
        if cand.is_file():
            return cand.read_text(encoding="utf-8", errors="replace")
    return "The quick brown fox jumps over the lazy dog. " * 2000


def build_folder(size: str, root: Path) -> Path:
    """A random-weight model of ``size`` with a byte-level BPE tokenizer trained on prose.

    transformers picks the tokenizer class from the model type (Qwen2Tokenizer, byte-level
    BPE), so the tokenizer is one of that kind; ids beyond its 2,000 entries decode to nothing.
    """
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    sys.path.insert(0, str(REPO / "tests"))
    from model_factory import train_tokenizer

    folder = root / f"qwen2-{size}-random"
    if (folder / "model.safetensors").exists():
        return folder
    cfg = Qwen2Config(max_position_embeddings=4096, bos_token_id=1, eos_token_id=2, **CONFIGS[size])
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(cfg)
    torch.nn.Module.to(model, torch.bfloat16)  # in place; transformers' wrapped .to() confuses mypy
    model.save_pretrained(folder, safe_serialization=True)
    train_tokenizer([_text()], vocab_size=2000).save_pretrained(folder)  # type: ignore[attr-defined]
    return folder


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return xs[k]


def bench_one(folder: Path, size: str, quant: str, device: str, runs: int, context: int, new: int) -> dict[str, Any]:
    import torch

    from lsp_server.runtime import cpu_quant
    from lsp_server.runtime.backend import GenerationParams
    from lsp_server.runtime.hardware import Placement
    from lsp_server.runtime.local import load
    from lsp_server.runtime.prompts import Prompt
    from lsp_server.runtime.worker import GenerationWorker

    q = {"none": "none", "bf16": "none", "fp32": "none", "int8": cpu_quant.NAME}.get(quant, quant)
    if device == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    backend = load(folder, Placement(device, q, 0), f"{size}-{quant}")
    if device == "cuda":
        torch.cuda.synchronize()
    if quant == "bf16" and device == "cpu":
        backend.model.to(torch.bfloat16)
    load_s = time.perf_counter() - t0
    weight_bytes = backend.weight_bytes()
    tok = backend.tokenizer
    text = tok.decode(tok(_text(), add_special_tokens=False).input_ids[:context])
    prompt = Prompt("continue", text, style="continue")
    context = backend.count_tokens(prompt.text)  # re-encoding may differ by a token or two

    cpu_spent: dict[int, list[float]] = {}  # process CPU seconds per call, by new-token count

    def timed(n_new: int, text: str) -> float:
        t, c = time.perf_counter(), time.process_time()
        out = backend.generate(Prompt("continue", text, style="continue"), GenerationParams(max_new_tokens=n_new, min_new_tokens=n_new), lambda: False)
        if device == "cuda":
            torch.cuda.synchronize()
        assert out.tokens == n_new, out.tokens
        cpu_spent.setdefault(n_new, []).append(time.process_time() - c)
        return time.perf_counter() - t

    # Cold: the whole context is prefilled every time (the prompt cache is off).
    backend.reuse_prompt_cache = False
    timed(new, prompt.text)  # warm-up: kernels, allocator, thread pools
    cpu_spent.clear()
    cold = [timed(new, prompt.text) for _ in range(runs)]
    first = [timed(1, prompt.text) for _ in range(max(2, runs // 2))]
    prefill_cpu = statistics.median(cpu_spent[1])
    decode_tps = (new - 1) / max(1e-9, statistics.median(cold) - statistics.median(first))
    cpu_ms_per_token = 1000 * (statistics.median(cpu_spent[new]) - statistics.median(cpu_spent[1])) / (new - 1)
    cold_cpu = statistics.median(cpu_spent[new])
    head_ms = lm_head_ms(backend.model, device)
    # Typing: each request adds a word to the previous prompt, so its prefix is cached.
    backend.reuse_prompt_cache = True
    typed = prompt.text
    timed(new, typed)
    warm = []
    cpu_spent.clear()
    for i in range(runs):
        typed += f" word{i}"
        warm.append(timed(new, typed))
    typing_cpu = statistics.median(cpu_spent[new])

    worker = GenerationWorker(backend)
    job = worker.submit(prompt, GenerationParams(max_new_tokens=2000, min_new_tokens=2000), channel="b", time_limit=600)
    time.sleep(min(3.0, statistics.median(cold) * 0.5))
    t = time.perf_counter()
    worker.cancel(job)
    job.result(60)
    cancel_s = time.perf_counter() - t
    worker.close()
    backend.close()
    return {
        "size": size, "quant": quant, "device": device, "load_s": load_s, "weight_mib": weight_bytes / 2**20,
        "cold_p50_s": statistics.median(cold), "cold_p95_s": percentile(cold, 0.95), "prefill_s": statistics.median(first),
        "typing_p50_s": statistics.median(warm), "typing_p95_s": percentile(warm, 0.95),
        "decode_tok_s": decode_tps, "cpu_ms_per_token": cpu_ms_per_token,
        "cold_cpu_s": cold_cpu, "typing_cpu_s": typing_cpu, "prefill_cpu_s": prefill_cpu,
        "lm_head_ms": head_ms, "cancel_to_free_s": cancel_s, "runs": runs, "context": context, "new_tokens": new,
        "load_avg_1min_after": os.getloadavg()[0],
    }


def lm_head_ms(model: Any, device: str) -> float:
    """Best wall time of the LM head on one hidden state: its share of every decoding step."""
    import torch

    emb = model.get_input_embeddings().weight
    hidden = torch.randn(1, 1, model.config.hidden_size, dtype=emb.dtype, device=emb.device)
    head = model.lm_head
    best = float("inf")
    with torch.inference_mode():
        for _ in range(8):
            t = time.perf_counter()
            head(hidden)
            if device == "cuda":
                torch.cuda.synchronize()
            best = min(best, time.perf_counter() - t)
    return best * 1000


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.5b")
    ap.add_argument("--quant", default="none,8bit,4bit", help="none (fp32 on CPU, bf16 on GPU), bf16, int8 (CPU), 8bit, 4bit")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--context", type=int, default=512)
    ap.add_argument("--new", type=int, default=24)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "marginalia-bench-models"))
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)

    from lsp_server.runtime.hardware import prepare_cpu_threads

    prepare_cpu_threads()  # as the runtime does before it imports torch
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    device = args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
    root = Path(args.cache)
    root.mkdir(parents=True, exist_ok=True)
    print(f"device={device} torch={torch.__version__} threads={torch.get_num_threads()} cpus={os.cpu_count()} "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '')} load_avg={os.getloadavg()[0]:.1f} " + (torch.cuda.get_device_name() if device == "cuda" else ""), flush=True)
    results = []
    header = (f"{'model':6} {'quant':5} {'load s':>7} {'weights MiB':>11} {'cold p50':>8} {'cold p95':>8} {'typing p50':>10} "
              f"{'typing p95':>10} {'prefill s':>9} {'decode tok/s':>12} {'CPU ms/tok':>10} {'head ms':>7} {'cancel s':>8} {'load':>5} "
              f"{'cold CPU s':>10} {'typing CPU s':>12}")
    print(header, flush=True)
    for size in args.sizes.split(","):
        folder = build_folder(size, root)
        for quant in args.quant.split(","):
            try:
                r = bench_one(folder, size, quant, device, args.runs, args.context, args.new)
            except Exception as exc:  # noqa: BLE001 - report and go on: one broken kernel must not hide the others
                print(f"{size:6} {quant:5} failed: {type(exc).__name__}: {exc}", flush=True)
                continue
            results.append(r)
            print(f"{size:6} {quant:5} {r['load_s']:7.2f} {r['weight_mib']:11.0f} {r['cold_p50_s']:8.2f} {r['cold_p95_s']:8.2f} "
                  f"{r['typing_p50_s']:10.2f} {r['typing_p95_s']:10.2f} {r['prefill_s']:9.2f} {r['decode_tok_s']:12.1f} "
                  f"{r['cpu_ms_per_token']:10.0f} {r['lm_head_ms']:7.1f} {r['cancel_to_free_s']:8.3f} {r['load_avg_1min_after']:5.1f} "
                  f"{r['cold_cpu_s']:10.2f} {r['typing_cpu_s']:12.2f}",
                  flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"device": device, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
