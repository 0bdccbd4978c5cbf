"""Reads the inputs the studio's own processor prepared (trainer/studio/prepare-inputs.ts): per-sample .npy tensors + manifest.json."""
import json
from pathlib import Path

import numpy as np
import torch


def load_manifest(inputs_dir: Path) -> dict:
    path = inputs_dir / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run the studio's input preparation first (trainer/studio/prepare-inputs.ts)")
    return json.loads(path.read_text())


def _t(inputs_dir, rel, dtype):
    return torch.from_numpy(np.load(inputs_dir / rel)).to(dtype)


def prompt_tensors(inputs_dir: Path, sample: dict) -> dict:
    """input_ids [1,P] and the image tensors of one sample's prompt, as the studio's processor made them: LFM2-VL's pixel_values
    [T,N,768], pixel_attention_mask [T,N], spatial_shapes [T,2]; SmolVLM's pixel_values [1,F,3,S,S], pixel_attention_mask [1,F,S,S] (0/1)."""
    return {name: _t(inputs_dir, rel, torch.float32 if name == "pixel_values" else torch.long) for name, rel in sample["files"].items()}


def training_example(inputs_dir: Path, sample: dict, max_seq_length: int) -> dict:
    """Prompt + answer tokens (label + end of turn) with loss only on the answer."""
    t = prompt_tensors(inputs_dir, sample)
    answer = torch.tensor([sample["target_ids"]], dtype=torch.long)
    ids = torch.cat([t["input_ids"], answer], dim=1)
    if ids.shape[1] > max_seq_length:
        raise ValueError(f"sample {sample['image']} has {ids.shape[1]} tokens > max_seq_length {max_seq_length}")
    labels = torch.full_like(ids, -100)
    labels[:, t["input_ids"].shape[1]:] = answer
    return {**t, "input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}


def split_samples(manifest: dict, split: str) -> list:
    return [s for s in manifest["samples"] if s["split"] == split]
