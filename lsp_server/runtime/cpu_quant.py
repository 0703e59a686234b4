"""Int8 weights for the CPU: torch's dynamic quantization of the Linear layers.

Every ``nn.Linear`` (attention, MLP and the LM head) gets int8 weights with one
scale per output row; activations are quantized on the fly per call, and the
fbgemm kernels do the int8 matrix products.  On the 2-core AVX2 development
machine this decoded about twice as fast as fp32 and several times faster than
bitsandbytes, whose CPU kernels are slow (bench/MODEL_BENCHMARKS.md).

The LM head of a model with tied embeddings gets its own int8 copy; the input
embedding keeps its fp32 table (a lookup costs nothing per token, while the
151,936-row head is a fifth of the fp32 work per decoded token).

torch marks ``torch.ao.quantization`` as deprecated in favour of torchao but
still ships it; when a torch without it is installed, :func:`available` says
so and the runtime stays unquantized.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch

NAME = "int8-dynamic"


def _api() -> tuple[Any, Any] | None:
    """(quantize_dynamic, per-channel qconfig) or None when this torch lacks them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
    except ImportError:
        return None
    if "fbgemm" not in torch.backends.quantized.supported_engines:
        return None  # no x86 int8 kernels in this build (e.g. an ARM wheel with only qnnpack)
    return quantize_dynamic, per_channel_dynamic_qconfig


def available() -> bool:
    return _api() is not None


def quantize(model: torch.nn.Module) -> int:
    """Replace the model's Linear layers by int8 dynamic ones in place; returns how many."""
    api = _api()
    if api is None:
        raise RuntimeError("this torch has no dynamic int8 quantization (torch.ao.quantization with fbgemm)")
    quantize_dynamic, qconfig = api
    torch.backends.quantized.engine = "fbgemm"
    with warnings.catch_warnings():
        # "deprecated, migrate to torchao" and "quantize_per_channel is deprecated": known, and the
        # path still works in the installed torch; the user cannot act on them.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        quantize_dynamic(model, {torch.nn.Linear: qconfig}, dtype=torch.qint8, inplace=True)
    return len(quantized_layers(model))


def quantized_layers(model: torch.nn.Module) -> list[Any]:
    """The int8 dynamic Linear modules (their packed weights are not typed by torch)."""
    if _api() is None:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit.script_method, used inside
        from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return [m for m in model.modules() if isinstance(m, DynamicLinear)]


def packed_bytes(model: torch.nn.Module) -> int:
    """Bytes of the int8 weights, their scales and biases (not parameters, so
    ``get_memory_footprint`` does not see them)."""
    total = 0
    for layer in quantized_layers(model):
        weight, bias = layer._packed_params._weight_bias()
        total += weight.numel() * weight.element_size()
        if weight.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
            total += weight.q_per_channel_scales().numel() * 8 + weight.q_per_channel_zero_points().numel() * 8
        if bias is not None:
            total += bias.numel() * bias.element_size()
    return total
