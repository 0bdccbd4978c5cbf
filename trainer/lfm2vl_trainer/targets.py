"""Maps LoRA target names (the seeds' Llama-style q/k/v/o/gate/up/down_proj or LFM2-VL's own names) onto the model's Linear modules, text and vision towers (LFM2-VL or SmolVLM)."""
import json
import re
from pathlib import Path

from torch import nn

from .arch import LFM2_VL, Arch

# Seeds' names → LFM2 text-layer suffixes (attention output is out_proj; SwiGLU gate/up/down are w1/w3/w2) and the
# SigLIP2 vision encoder's (PEFT's suffix match puts q/k/v_proj there too; its MLP is fc1/fc2): one table, shared with the studio.
_ALIASES = json.loads((Path(__file__).parent / "lora_aliases.json").read_text())
TEXT_ALIASES = _ALIASES["text"]
VISION_ALIASES = _ALIASES["vision"]
PROJECTOR_NAMES = set(_ALIASES["projector"])


def _short(full: str, arch: Arch) -> str:
    """'model.language_model.layers.3.self_attn.q_proj' → 'text self_attn.q_proj' (for the log)."""
    for prefix, tag in ((arch.text_prefix, "text"), (arch.vision_prefix, "vision"), (arch.projector_prefix, "projector")):
        if full.startswith(prefix):
            return tag + " " + re.sub(r"^\d+\.", "", full[len(prefix):])
    return full


def resolve_targets(model: nn.Module, names: list, vision: bool = True, arch: Arch = LFM2_VL) -> tuple:
    """Returns (full module names LoRA wraps, {requested name: [where it matched]}); raises when nothing matches.
    SmolVLM's Llama decoder keeps the seeds' names (q/k/v/o/gate/up/down_proj), so only its SigLIP tower uses the alias table."""
    if not names:
        raise ValueError("lora_target_modules is empty")
    linears = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    chosen, report = set(), {}
    for name in names:
        hits = []
        text_aliases = TEXT_ALIASES if arch.text_alias_table else {}
        for prefix, aliases in ((arch.text_prefix, text_aliases), (arch.vision_prefix, VISION_ALIASES if vision else {})):
            suffixes = aliases.get(name, [name] if prefix == arch.text_prefix or vision else [])
            hits += [n for n in linears if n.startswith(prefix) and any(n.endswith("." + s) for s in suffixes)]
        if name in PROJECTOR_NAMES or (arch is not LFM2_VL and name == "proj"):
            hits += [n for n in linears if n == arch.projector_prefix + name]
        report[name] = sorted({_short(h, arch) for h in hits})
        chosen.update(hits)
    if not chosen:
        raise ValueError(
            f"lora_target_modules {names} match no Linear module of {arch.name}; use q_proj, k_proj, v_proj, o_proj, "
            f"gate_proj, up_proj, down_proj, in_proj, out_proj, w1, w2, w3, fc1, fc2, linear_1 or linear_2")
    return sorted(chosen), report
