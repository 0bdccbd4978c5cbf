"""Maps LoRA target names (the seeds' Llama-style q/k/v/o/gate/up/down_proj or LFM2-VL's own names) onto the model's Linear modules, text and vision towers."""
import json
import re
from pathlib import Path

from torch import nn

# Seeds' names → LFM2 text-layer suffixes (attention output is out_proj; SwiGLU gate/up/down are w1/w3/w2) and the
# SigLIP2 vision encoder's (PEFT's suffix match puts q/k/v_proj there too; its MLP is fc1/fc2): one table, shared with the studio.
_ALIASES = json.loads((Path(__file__).parent / "lora_aliases.json").read_text())
TEXT_ALIASES = _ALIASES["text"]
VISION_ALIASES = _ALIASES["vision"]
PROJECTOR_NAMES = set(_ALIASES["projector"])
TEXT_PREFIX = "model.language_model.layers."
VISION_PREFIX = "model.vision_tower.encoder.layers."
PROJECTOR_PREFIX = "model.multi_modal_projector."


def _short(full: str) -> str:
    """'model.language_model.layers.3.self_attn.q_proj' → 'text self_attn.q_proj' (for the log)."""
    for prefix, tag in ((TEXT_PREFIX, "text"), (VISION_PREFIX, "vision"), (PROJECTOR_PREFIX, "projector")):
        if full.startswith(prefix):
            return tag + " " + re.sub(r"^\d+\.", "", full[len(prefix):])
    return full


def resolve_targets(model: nn.Module, names: list, vision: bool = True) -> tuple:
    """Returns (full module names LoRA wraps, {requested name: [where it matched]}); raises when nothing matches."""
    if not names:
        raise ValueError("lora_target_modules is empty")
    linears = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    chosen, report = set(), {}
    for name in names:
        hits = []
        for prefix, aliases in ((TEXT_PREFIX, TEXT_ALIASES), (VISION_PREFIX, VISION_ALIASES if vision else {})):
            suffixes = aliases.get(name, [name] if prefix == TEXT_PREFIX or vision else [])
            hits += [n for n in linears if n.startswith(prefix) and any(n.endswith("." + s) for s in suffixes)]
        if name in PROJECTOR_NAMES:
            hits += [n for n in linears if n == PROJECTOR_PREFIX + name]
        report[name] = sorted({_short(h) for h in hits})
        chosen.update(hits)
    if not chosen:
        raise ValueError(
            f"lora_target_modules {names} match no Linear module of LFM2-VL; use q_proj, k_proj, v_proj, o_proj, "
            f"gate_proj, up_proj, down_proj, in_proj, out_proj, w1, w2, w3, fc1, fc2, linear_1 or linear_2")
    return sorted(chosen), report
