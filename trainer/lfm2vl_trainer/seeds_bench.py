"""The seeds' inference stack as a speed reference: transformers + PyTorch eager generate() on the studio processor's tensors, free and label-constrained (prefix_allowed_tokens_fn, as Outlines restricts tokens)."""
import json
import time
from pathlib import Path

import torch

from .arch import model_class, model_type_of
from .data import load_manifest, prompt_tensors


def label_prefix_fn(prompt_len: int, sequences: list, eot: int):
    """Allowed next tokens after the generated part: children in the label trie, or the end of turn once a whole label is written."""
    def allowed(_batch_id, ids):
        done = ids[prompt_len:].tolist()
        nxt = {seq[len(done)] for seq in sequences if len(seq) > len(done) and seq[: len(done)] == done}
        if any(seq == done for seq in sequences):
            nxt.add(eot)
        return sorted(nxt) or [eot]
    return allowed


@torch.no_grad()
def bench(model_dir: Path, inputs_dir: Path, rounds: int, max_new_tokens: int) -> dict:
    """Median-free totals: images/s over `rounds` passes of every sample, after one warm-up sample per mode."""
    mt = model_type_of(model_dir)
    model = model_class(mt).from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager").eval()
    manifest = load_manifest(inputs_dir)
    eot, seqs = manifest["end_of_turn_id"], manifest["label_token_ids"]
    samples = [prompt_tensors(inputs_dir, s) for s in manifest["samples"]]
    eos = manifest["eos_ids"]
    if mt != "lfm2_vl":
        for t in samples:
            t["pixel_attention_mask"] = t["pixel_attention_mask"].bool()

    def free(t):
        out = model.generate(**t, attention_mask=torch.ones_like(t["input_ids"]), max_new_tokens=max_new_tokens, do_sample=False,
                             eos_token_id=eos, pad_token_id=eos[0])
        return out[0, t["input_ids"].shape[1]:].tolist()

    def constrained(t):
        P = t["input_ids"].shape[1]
        out = model.generate(**t, attention_mask=torch.ones_like(t["input_ids"]), max_new_tokens=max(len(s) for s in seqs) + 1,
                             do_sample=False, eos_token_id=[eot], pad_token_id=eot, prefix_allowed_tokens_fn=label_prefix_fn(P, seqs, eot))
        return out[0, P:].tolist()

    result = {"model_type": mt, "torch_threads": torch.get_num_threads(), "images": len(samples), "rounds": rounds}
    for name, fn in (("free", free), ("constrained", constrained)):
        fn(samples[0])  # warm-up
        t0 = time.perf_counter()
        tokens = [fn(t) for _ in range(rounds) for t in samples]
        secs = time.perf_counter() - t0
        result[name] = {"images_per_s": len(tokens) / secs, "seconds": secs, "tokens": tokens[: len(samples)]}
    return result


def write(model_dir: Path, inputs_dir: Path, out: Path, rounds: int, max_new_tokens: int) -> None:
    out.write_text(json.dumps(bench(model_dir, inputs_dir, rounds, max_new_tokens)))
