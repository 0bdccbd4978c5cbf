"""Tiny LFM2-VL or SmolVLM base model from the real transformers classes (random init, fixed seed) for tests: real module names, real forward."""
import argparse
import json
import shutil
from pathlib import Path

import torch
from transformers import CONFIG_MAPPING

from .arch import model_class

# Files the studio's tools/tiny-vlm writes besides the ONNX sessions: tokenizer (LFM2 specials + chat template) and processor.
TEXT_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json",
              "processor_config.json", "generation_config.json", "chat_template.jinja", "chat_template.json"]


# Wider than tiny-vlm's ONNX stand-in (hidden 32, vision 16): room for a LoRA to separate 16 photos, and
# two attention layers with grouped KV heads (4 query / 2 KV) so the export's GQA path is exercised.
TEXT = {"hidden_size": 64, "intermediate_size": 128, "block_ff_dim": 128, "num_attention_heads": 4, "num_key_value_heads": 2,
        "layer_types": ["conv", "full_attention", "conv", "full_attention"], "num_hidden_layers": 4, "full_attn_idxs": [1, 3]}
VISION = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2}
# SmolVLM (Llama decoder): the same widths, GQA 4 query / 2 KV heads of 16, every layer attention; SigLIP vision as above.
SMOL_TEXT = {"hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
             "num_hidden_layers": 4}
WIDTHS = {"lfm2_vl": (TEXT, VISION), "smolvlm": (SMOL_TEXT, VISION), "idefics3": (SMOL_TEXT, VISION)}


def build(files_dir: Path, out_dir: Path, seed: int, keep_widths: bool = False) -> None:
    """files_dir holds tiny-vlm's config + tokenizer/processor files; out_dir gets a PyTorch (safetensors) folder.
    keep_widths: build config.json's own widths (tiny-vlm's 'bench' size) instead of the test widths above."""
    cfg = json.loads((files_dir / "config.json").read_text())
    text, vision = ({}, {}) if keep_widths else WIDTHS[cfg["model_type"]]
    cfg["text_config"].update(text)
    cfg["vision_config"].update(vision)
    if cfg["model_type"] == "lfm2_vl":
        cfg["projector_hidden_size"] = cfg["text_config"]["hidden_size"]
    config = CONFIG_MAPPING[cfg["model_type"]].from_dict(cfg)
    torch.manual_seed(seed)
    model = model_class(cfg["model_type"])(config).eval()
    # HF's default init (std 0.02) makes a near-uniform, input-blind model; a larger scale gives the random
    # base distinct, image-dependent outputs so parity checks compare non-trivial numbers.
    with torch.no_grad():
        gen = torch.Generator().manual_seed(seed + 1)
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=gen) / (p.shape[-1] ** 0.5))
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    for name in TEXT_FILES:
        if (files_dir / name).exists():
            shutil.copyfile(files_dir / name, out_dir / name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep-widths", action="store_true", help="use config.json's widths (e.g. tiny-vlm's bench size)")
    a = ap.parse_args()
    build(a.files, a.out, a.seed, a.keep_widths)


if __name__ == "__main__":
    main()
