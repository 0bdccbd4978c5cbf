"""LoRA fine-tune loop (transformers model + peft) with the seeds' hyper-parameters; writes metrics.jsonl, train.log, the adapter, merged weights, the ONNX export and result.json."""
import hashlib
import json
import math
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from transformers import get_linear_schedule_with_warmup

from .checkpoint import DataOrder, prepare_out, read_checkpoint, restore_checkpoint, save_checkpoint, save_steps_of
from .arch import export_sessions_for, load_model
from .config import TrainConfig
from .data import load_manifest, split_samples, training_example
from .export_onnx import EXTERNAL_DATA_OVER
from .targets import resolve_targets

# Non-weight files of a model folder the export carries over (tokenizer, processor, chat template, generation settings).
MODEL_TEXT_FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                    "preprocessor_config.json", "processor_config.json", "chat_template.jinja", "chat_template.json"]


class Logger:
    """Human log (train.log + stderr) and machine log (metrics.jsonl, one JSON object per line, appended)."""

    def __init__(self, out: Path):
        self.log = open(out / "train.log", "a", buffering=1)
        self.metrics = open(out / "metrics.jsonl", "a", buffering=1)

    def info(self, msg: str) -> None:
        line = f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {msg}"
        self.log.write(line + "\n")
        print(line, flush=True)

    def metric(self, rec: dict) -> None:
        self.metrics.write(json.dumps(rec) + "\n")


def _optimizer(params, cfg: TrainConfig, log: Logger):
    """AdamW; the seeds' adamw_8bit (bitsandbytes, CUDA only) falls back to adamw_torch because this trainer runs on the CPU."""
    name = cfg.optim
    if name in ("adamw_8bit", "adamw_bnb_8bit", "paged_adamw_8bit"):
        log.info(f"optim {name} needs bitsandbytes and a CUDA GPU; this trainer runs on the CPU: falling back to adamw_torch")
        name = "adamw_torch"
    if name in ("adamw_torch", "adamw_hf", "adamw"):
        return torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    raise ValueError(f"unsupported optim {cfg.optim!r}; use adamw_torch or adamw_8bit")


def _seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _loss(model, ex) -> torch.Tensor:
    return model(**ex, use_cache=False).loss


@torch.no_grad()
def _eval_loss(model, examples) -> float:
    model.eval()
    losses = [_loss(model, ex).item() for ex in examples]
    model.train()
    return float(sum(losses) / len(losses))


def sha256_tree(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def copy_model_files(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in MODEL_TEXT_FILES:
        if (src / name).exists():
            shutil.copyfile(src / name, dst / name)


def export_model(model, base_dir: Path, out_dir: Path, external_data_over: int = EXTERNAL_DATA_OVER) -> dict:
    """Studio-layout folder: the base's tokenizer/processor/config files + ONNX sessions built from `model`'s weights."""
    copy_model_files(base_dir, out_dir)
    written = export_sessions_for(model, out_dir, external_data_over)
    config = json.loads((out_dir / "config.json").read_text())
    js = {k: v for k, v in config.get("transformers.js_config", {}).items() if k != "use_external_data_format"}
    external = {name: 1 for name, ext in written.items() if ext}
    if external:
        js["use_external_data_format"] = external
    if js:
        config["transformers.js_config"] = js
    else:
        config.pop("transformers.js_config", None)
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return written


def train(base_dir: Path, inputs_dir: Path, out: Path, cfg: TrainConfig, notes: list, resume=None) -> dict:
    """Runs the whole job into `out` (see the module doc) and returns what result.json holds; `resume` continues from a checkpoint folder."""
    state = read_checkpoint(resume, cfg) if resume else None  # a refused resume leaves --out untouched
    out.mkdir(parents=True, exist_ok=True)
    prepare_out(out, state["step"] if state else None, resume)
    log = Logger(out)
    if state:
        log.info(f"resuming from {resume} (step {state['step']})")
    for n in notes:
        log.info(n)
    _seed_all(cfg.seed)
    model, arch = load_model(base_dir)
    log.info(f"base {base_dir}: {arch.name} ({model.config.model_type})")
    targets, report = resolve_targets(model, cfg.lora_target_modules, cfg.lora_vision, arch)
    for name, hits in report.items():
        log.info(f"lora target {name!r} → {', '.join(hits) if hits else f'nothing (no such module in {arch.name})'}")
    log.info(f"LoRA wraps {len(targets)} modules: {', '.join(targets)}")
    manifest = load_manifest(inputs_dir)
    train_set = [training_example(inputs_dir, s, cfg.max_seq_length) for s in split_samples(manifest, "train")]
    val_set = [training_example(inputs_dir, s, cfg.max_seq_length) for s in split_samples(manifest, "val")]
    if not train_set:
        raise ValueError(f"{inputs_dir}: no train samples")
    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout, bias=cfg.lora_bias,
                      use_rslora=cfg.use_rslora, target_modules=targets, task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log.info(f"trainable parameters: {trainable} of {sum(p.numel() for p in model.parameters())}")
    opt = _optimizer([p for p in model.parameters() if p.requires_grad], cfg, log)
    per_step = cfg.batch_size * cfg.gradient_accumulation_steps
    steps_per_epoch = math.ceil(len(train_set) / per_step)
    total = cfg.max_steps if cfg.max_steps > 0 else math.ceil(steps_per_epoch * cfg.num_train_epochs)
    sched = get_linear_schedule_with_warmup(opt, math.ceil(cfg.warmup_ratio * total), total)
    log.info(f"{len(train_set)} train / {len(val_set)} val samples; {total} optimizer steps of {per_step} samples "
             f"(batch_size {cfg.batch_size} × gradient_accumulation_steps {cfg.gradient_accumulation_steps}, one sample per forward)")
    data = DataOrder(len(train_set), cfg.seed)
    step, window, seen_window, eval_loss, rec, done_seconds = 0, [], 0, None, {}, 0.0
    if state:
        restore_checkpoint(resume, state, model, opt, sched, data)
        x = state["extra"]
        step, window, seen_window, eval_loss, rec, done_seconds = state["step"], x["window"], x["seen_window"], x["eval_loss"], x["rec"], x["train_seconds"]
    t_start = t_window = time.time()
    save_every = save_steps_of(cfg)
    model.train()
    while step < total:
        opt.zero_grad()
        for _ in range(per_step):
            loss = _loss(model, train_set[data.next()]) / per_step
            loss.backward()
            window.append(loss.item() * per_step)
            seen_window += 1
        opt.step()
        sched.step()
        step += 1
        last = step == total
        if step % cfg.eval_steps == 0 or (last and val_set):
            eval_loss = _eval_loss(model, val_set) if val_set else None
        if step % cfg.logging_steps == 0 or last or (eval_loss is not None and step % cfg.eval_steps == 0):
            now = time.time()
            rec = {"step": step, "epoch": round(step * per_step / len(train_set), 4), "train_loss": sum(window) / len(window),
                   "lr": sched.get_last_lr()[0], "samples_per_s": seen_window / max(now - t_window, 1e-9)}
            if eval_loss is not None and (step % cfg.eval_steps == 0 or last):
                rec["eval_loss"] = eval_loss
            log.metric(rec)
            log.info(" ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()))
            window, t_window, seen_window = [], now, 0
        if step % save_every == 0 or last:
            extra = {"window": window, "seen_window": seen_window, "eval_loss": eval_loss, "rec": rec,
                     "train_seconds": done_seconds + time.time() - t_start}
            save_checkpoint(out, step, model, opt, sched, data, extra, cfg, lambda d: model.save_pretrained(d / "adapter"), log)
    train_seconds = done_seconds + time.time() - t_start
    log.info(f"training done in {train_seconds:.1f} s")
    model.save_pretrained(out / "adapter")
    merged = model.merge_and_unload()
    merged.eval()
    copy_model_files(base_dir, out / "merged")
    merged.save_pretrained(out / "merged")  # after the copy: the merged model's own config.json wins
    export_model(merged, base_dir, out / "export")
    log.info(f"exported ONNX sessions from the merged weights to {out / 'export'}")
    result = {"base_model": str(base_dir), "steps": step, "train_seconds": train_seconds, "final_train_loss": rec.get("train_loss"),
              "eval_loss": eval_loss, "lora_targets": targets, "config": cfg.__dict__, "files": {}}
    for sub in ("adapter", "merged", "export"):
        result["files"].update({f"{sub}/{k}": v for k, v in sha256_tree(out / sub).items()})
    (out / "result.json").write_text(json.dumps(result, indent=2))
    return result
