"""Maps LoRA target names (the seeds' Llama-style q/k/v/o/gate/up/down_proj or LFM2's own names) onto the LFM2-VL text model's Linear modules."""
import re

from torch import nn

# Seeds' names → LFM2 module suffixes (attention out_proj is `o_proj`; SwiGLU gate/up/down are w1/w3/w2).
ALIASES = {
    "q_proj": ["self_attn.q_proj"],
    "k_proj": ["self_attn.k_proj"],
    "v_proj": ["self_attn.v_proj"],
    "o_proj": ["self_attn.out_proj"],
    "gate_proj": ["feed_forward.w1"],
    "up_proj": ["feed_forward.w3"],
    "down_proj": ["feed_forward.w2"],
    "w1": ["feed_forward.w1"],
    "w2": ["feed_forward.w2"],
    "w3": ["feed_forward.w3"],
    "out_proj": ["self_attn.out_proj", "conv.out_proj"],
    "in_proj": ["conv.in_proj"],
}

TEXT_PREFIX = "model.language_model.layers."


def resolve_targets(model: nn.Module, names: list) -> tuple:
    """Returns (full module names LoRA wraps, {requested name: [suffixes it matched]}); raises when nothing matches."""
    if not names:
        raise ValueError("lora_target_modules is empty")
    linears = [n for n, m in model.named_modules() if isinstance(m, nn.Linear) and n.startswith(TEXT_PREFIX)]
    chosen, report = set(), {}
    for name in names:
        suffixes = ALIASES.get(name, [name])
        hits = [n for n in linears if any(n.endswith("." + s) for s in suffixes)]
        report[name] = sorted({re.sub(r"^.*layers\.\d+\.", "", h) for h in hits})
        chosen.update(hits)
    if not chosen:
        raise ValueError(
            f"lora_target_modules {names} match no Linear module of the LFM2-VL text model; "
            f"use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, in_proj, out_proj, w1, w2 or w3")
    return sorted(chosen), report
