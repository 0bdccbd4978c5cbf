"""Mini-VLM trainer: frozen MobileNetV2 features → trainable projector → small LFM2 language model with LoRA that generates the label tokens; exports the studio's LFM2-VL ONNX layout."""
import json
import math
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from peft import LoraConfig, get_peft_model
from transformers import Lfm2VlForConditionalGeneration, get_linear_schedule_with_warmup

from .checkpoint import DataOrder, prepare_out, read_checkpoint, restore_checkpoint, save_checkpoint, save_steps_of
from .config import TrainConfig
from .data import load_manifest, split_samples
from .export_onnx import build_decoder, build_embed
from .mini_vision import Projector, build_mini_vision, pooled_features
from .targets import resolve_targets
from .train import Logger, _optimizer, _seed_all, copy_model_files, sha256_tree


def _feeds(inputs_dir: Path, s: dict) -> dict:
    f = s["files"]
    return {k: np.load(inputs_dir / f[k]) for k in ("pixel_values", "pixel_attention_mask", "spatial_shapes")}


class MiniVlm(torch.nn.Module):
    """Projector + the LM of an LFM2-VL model (its SigLIP2 tower is never used): image tokens carry the projected features."""

    def __init__(self, lm: Lfm2VlForConditionalGeneration):
        super().__init__()
        self.lm = lm
        self.image_token_id = lm.config.image_token_id
        self.projector = Projector(lm.config.text_config.hidden_size)

    def forward(self, ids: torch.Tensor, feats: torch.Tensor) -> torch.Tensor:
        """ids [1,S] (prompt + answer), feats [1,1280] → logits [1,S,V]."""
        inner = self.lm.model.language_model
        emb = inner.embed_tokens(ids)
        img = ids == self.image_token_id
        emb = torch.where(img.unsqueeze(-1), self.projector(feats).unsqueeze(1).expand_as(emb), emb)
        hidden = inner(inputs_embeds=emb, attention_mask=torch.ones_like(ids), use_cache=False).last_hidden_state
        return self.lm.lm_head(hidden)


def _example(inputs_dir: Path, s: dict, feats: np.ndarray) -> tuple:
    prompt = np.load(inputs_dir / s["files"]["input_ids"])
    ids = torch.from_numpy(np.concatenate([prompt, np.asarray([s["target_ids"]], dtype=np.int64)], axis=1))
    return ids, torch.from_numpy(feats[None]), prompt.shape[1]


def _loss(model: MiniVlm, batch: list) -> torch.Tensor:
    """Mean answer-token cross-entropy of a batch; right padding is safe unmasked (causal conv + attention never look ahead)."""
    width = max(ids.shape[1] for ids, _, _ in batch)
    ids = torch.cat([torch.nn.functional.pad(ids, (0, width - ids.shape[1])) for ids, _, _ in batch])
    logits = model(ids, torch.cat([f for _, f, _ in batch]))
    # position t predicts token t+1: the answer tokens ids[start:n] come from positions start-1 … n-2
    losses = [torch.nn.functional.cross_entropy(logits[b, start - 1:ex.shape[1] - 1], ids[b, start:ex.shape[1]]) for b, (ex, _, start) in enumerate(batch)]
    return torch.stack(losses).mean()


@torch.no_grad()
def reference_scores(model: MiniVlm, examples: list, samples: list, label_ids: list, eot: int) -> dict:
    """PyTorch per-label token log-probs (label tokens + end of turn) of the exported model, for ONNX-vs-PyTorch parity in the studio."""
    out = []
    for (ids, feats, start), s in zip(examples, samples):
        per_label = []
        for seq in label_ids:
            full = torch.cat([ids[:, :start], torch.tensor([seq + [eot]])], dim=1)
            lp = torch.log_softmax(model(full, feats)[0].double(), dim=-1)
            per_label.append([lp[start - 1 + k, tok].item() for k, tok in enumerate(seq + [eot])])
        out.append({"image": s["image"], "label_token_logprobs": per_label})
    return {"samples": out}


def export_mini(model: MiniVlm, lm, base_dir: Path, mobilenet: Path, out_dir: Path, meta: dict) -> None:
    """Studio LFM2-VL layout: stitched MobileNetV2+projector vision_encoder, embed_tokens and decoder from the merged LM."""
    copy_model_files(base_dir, out_dir)
    proc = json.loads((base_dir / "preprocessor_config.json").read_text())
    onnx_dir = out_dir / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    onnx.save(build_mini_vision(mobilenet, proc, model.projector, lm.config.downsample_factor), str(onnx_dir / "vision_encoder.onnx"))
    onnx.save(build_embed(lm, lm.config).model(), str(onnx_dir / "embed_tokens.onnx"))
    onnx.save(build_decoder(lm, lm.config).model(), str(onnx_dir / "decoder_model_merged.onnx"))
    config = json.loads((out_dir / "config.json").read_text())
    config["mini_vlm"] = meta
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def train_mini(base_dir: Path, inputs_dir: Path, mobilenet: Path, out: Path, cfg: TrainConfig, notes: list, untrained: bool = False, resume=None) -> dict:
    """Features once (frozen encoder), then projector + LoRA steps (batch_size samples per forward, right-padded); `untrained` exports the initial model (random projector, zero LoRA); `resume` continues from a checkpoint folder."""
    if untrained and resume:
        raise ValueError("--untrained exports the initial model: it cannot --resume")
    state = read_checkpoint(resume, cfg) if resume else None  # a refused resume leaves --out untouched
    out.mkdir(parents=True, exist_ok=True)
    prepare_out(out, state["step"] if state else None, resume)
    log = Logger(out)
    if state:
        log.info(f"resuming from {resume} (step {state['step']})")
    for n in notes:
        log.info(n)
    _seed_all(cfg.seed)
    lm = Lfm2VlForConditionalGeneration.from_pretrained(base_dir, dtype=torch.float32)
    targets, report = resolve_targets(lm, cfg.lora_target_modules, False)
    log.info(f"LoRA wraps {len(targets)} language-model modules: {', '.join(targets)}")
    manifest = load_manifest(inputs_dir)
    proc = json.loads((base_dir / "preprocessor_config.json").read_text())
    t0 = time.time()
    train_s, val_s = split_samples(manifest, "train"), split_samples(manifest, "val")
    feeds = [] if untrained else [_feeds(inputs_dir, s) for s in train_s + val_s]
    feats = pooled_features(mobilenet, proc, feeds) if feeds else np.zeros((0, 1280), np.float32)
    feature_seconds = time.time() - t0
    log.info(f"frozen MobileNetV2 features of {len(feats)} images in {feature_seconds:.1f} s")
    if not untrained and not train_s:
        raise ValueError(f"{inputs_dir}: no train samples")
    train_set = [] if untrained else [_example(inputs_dir, s, feats[i]) for i, s in enumerate(train_s)]
    val_set = [] if untrained else [_example(inputs_dir, s, feats[len(train_s) + i]) for i, s in enumerate(val_s)]
    lm = get_peft_model(lm, LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout, bias=cfg.lora_bias,
                                       use_rslora=cfg.use_rslora, target_modules=targets))
    model = MiniVlm(lm.base_model.model)
    for p in model.projector.parameters():
        p.requires_grad_(True)
    params = [p for p in model.parameters() if p.requires_grad]
    log.info(f"trainable parameters: {sum(p.numel() for p in params)} (projector {sum(p.numel() for p in model.projector.parameters())} + LoRA)")
    per_step = cfg.batch_size * cfg.gradient_accumulation_steps
    total = 0 if untrained else (cfg.max_steps if cfg.max_steps > 0 else math.ceil(math.ceil(len(train_set) / per_step) * cfg.num_train_epochs))
    opt = _optimizer(params, cfg, log)
    sched = get_linear_schedule_with_warmup(opt, math.ceil(cfg.warmup_ratio * total), max(total, 1))
    data = DataOrder(len(train_set), cfg.seed)
    window, step, rec, done_seconds = [], 0, {}, 0.0
    if state:
        restore_checkpoint(resume, state, model, opt, sched, data)
        step, window, rec, done_seconds = state["step"], state["extra"]["window"], state["extra"]["rec"], state["extra"]["train_seconds"]
    t_start, save_every = time.time(), save_steps_of(cfg)
    seen_window, t_window = 0, t_start

    def weights(d: Path) -> None:
        lm.save_pretrained(d / "adapter")
        torch.save(model.projector.state_dict(), d / "projector.pt")
    model.train()
    while step < total:
        opt.zero_grad()
        for _ in range(cfg.gradient_accumulation_steps):
            batch = [train_set[data.next()] for _ in range(cfg.batch_size)]
            loss = _loss(model, batch) / cfg.gradient_accumulation_steps
            loss.backward()
            window.append(loss.item() * cfg.gradient_accumulation_steps)
        opt.step()
        sched.step()
        step += 1
        seen_window += per_step
        if step % cfg.logging_steps == 0 or step == total:
            now = time.time()
            # The mean over the steps since the last logged one (as train.py), with the speed the monitor's ETA needs.
            rec = {"step": step, "epoch": round(step * per_step / len(train_set), 4), "train_loss": sum(window) / len(window), "lr": sched.get_last_lr()[0],
                   "samples_per_s": seen_window / max(now - t_window, 1e-9)}
            window, seen_window, t_window = [], 0, now
            if val_set and (step % cfg.eval_steps == 0 or step == total):
                model.eval()
                with torch.no_grad():
                    rec["eval_loss"] = float(np.mean([_loss(model, [ex]).item() for ex in val_set]))
                model.train()
            log.metric(rec)
            log.info(" ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()))
            window = []
        if step % save_every == 0 or step == total:
            extra = {"window": window, "rec": rec, "train_seconds": done_seconds + time.time() - t_start}
            save_checkpoint(out, step, model, opt, sched, data, extra, cfg, weights, log)
    train_seconds = done_seconds + time.time() - t_start
    log.info(f"{step} steps in {train_seconds:.1f} s")
    model.eval()
    merged = lm.merge_and_unload().eval()
    model.lm = merged
    meta = {"vision": "mobilenetv2-12-int8 (frozen, pooled 1280-d)", "projector": "layernorm-linear-gelu-linear", "trained_steps": step,
            "lora_targets": targets}
    export_mini(model, merged, base_dir, mobilenet, out / "export", meta)
    torch.save(model.projector.state_dict(), out / "projector.pt")
    ref = reference_scores(model, val_set, val_s, manifest["label_token_ids"], manifest["end_of_turn_id"])
    (out / "reference.json").write_text(json.dumps(ref))
    log.info(f"exported the mini-VLM to {out / 'export'}")
    result = {"base_model": str(base_dir), "mobilenet": str(mobilenet), "steps": step, "train_seconds": train_seconds,
              "feature_seconds": feature_seconds, "train_samples": len(train_set), "final_train_loss": rec.get("train_loss"),
              "eval_loss": rec.get("eval_loss"), "config": cfg.__dict__, "files": {f"export/{k}": v for k, v in sha256_tree(out / "export").items()}}
    (out / "result.json").write_text(json.dumps(result, indent=2))
    return result

