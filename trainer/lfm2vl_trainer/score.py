"""PyTorch reference numbers on a model folder for export parity: per-label token log-probs (full forward per label) and greedy tokens."""
import json
from pathlib import Path

import torch

from .arch import load_model
from .data import load_manifest, prompt_tensors


@torch.no_grad()
def score(model_dir: Path, inputs_dir: Path, max_new_tokens: int) -> dict:
    model = load_model(model_dir)[0].eval()
    manifest = load_manifest(inputs_dir)
    eot = manifest["end_of_turn_id"]
    out = []
    for s in manifest["samples"]:
        t = prompt_tensors(inputs_dir, s)
        prompt = t["input_ids"]
        P = prompt.shape[1]
        per_label = []
        for seq in manifest["label_token_ids"]:
            full = torch.cat([prompt, torch.tensor([seq + [eot]])], dim=1)
            logits = model(**{**t, "input_ids": full, "attention_mask": torch.ones_like(full)}, use_cache=False).logits[0]
            lp = torch.log_softmax(logits.double(), dim=-1)
            per_label.append([lp[P - 1 + k, tok].item() for k, tok in enumerate(seq + [eot])])
        ids, greedy = prompt, []
        for _ in range(max_new_tokens):
            logits = model(**{**t, "input_ids": ids, "attention_mask": torch.ones_like(ids)}, use_cache=False).logits[0, -1]
            nxt = int(torch.argmax(logits))
            greedy.append(nxt)
            if nxt in manifest["eos_ids"]:
                break
            ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
        out.append({"image": s["image"], "label_token_logprobs": per_label, "greedy": greedy})
    return {"samples": out}


def write(model_dir: Path, inputs_dir: Path, out_path: Path, max_new_tokens: int) -> None:
    out_path.write_text(json.dumps(score(model_dir, inputs_dir, max_new_tokens)))
