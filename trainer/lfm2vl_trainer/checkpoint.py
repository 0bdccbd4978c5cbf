"""Step checkpoints for exact resume: <out>/checkpoints/step-<N>/ holds the trainable weights, optimizer, scheduler, RNG states and data position, written to a temp folder and renamed so a kill never leaves a half checkpoint."""
import json
import os
import random
import re
import shutil
from pathlib import Path

import numpy as np
import torch

CHECKPOINTS = "checkpoints"
STEP_DIR = re.compile(r"^step-(\d+)$")
FORMAT = 1
# Config keys a resume may change: they do not alter the math of the steps already done (a longer run only adds steps).
RESUMABLE_CHANGES = {"num_train_epochs", "max_steps", "logging_steps", "eval_steps", "save_steps", "save_total_limit"}
# A train.log line of one logged step, as the trainers write it ("<time> step=12 epoch=…").
LOG_STEP_LINE = re.compile(r"^\S+ step=(\d+) ")


class DataOrder:
    """The seeded sample order: each epoch a permutation drawn from random.Random(seed), consumed from its end (the trainers' order since the first release)."""

    def __init__(self, n: int, seed: int):
        self.n, self.rng, self.epoch, self.perm, self.index = n, random.Random(seed), 0, [], 0

    def next(self) -> int:
        if self.index >= len(self.perm):
            self.perm = list(range(self.n))
            self.rng.shuffle(self.perm)
            self.index, self.epoch = 0, self.epoch + 1
        self.index += 1
        return self.perm[len(self.perm) - self.index]

    def state(self) -> dict:
        version, internal, gauss = self.rng.getstate()
        return {"epoch": self.epoch, "index": self.index, "perm": self.perm, "rng_state": [version, list(internal), gauss]}

    def restore(self, s: dict) -> None:
        if len(s["perm"]) not in (0, self.n):
            raise ValueError(f"the checkpoint's epoch order covers {len(s['perm'])} samples, the inputs have {self.n}")
        version, internal, gauss = s["rng_state"]
        self.rng.setstate((version, tuple(internal), gauss))
        self.epoch, self.index, self.perm = s["epoch"], s["index"], list(s["perm"])


def save_steps_of(cfg) -> int:
    """save_steps, defaulting to eval_steps."""
    return cfg.save_steps if cfg.save_steps else cfg.eval_steps


def trainable_state(model: torch.nn.Module) -> dict:
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


def _rng_state() -> dict:
    return {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state(),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}


def _step_dirs(root: Path) -> list:
    found = [(int(m.group(1)), p) for p in root.iterdir() if (m := STEP_DIR.match(p.name)) and (p / "state.json").exists()] if root.exists() else []
    return sorted(found)


def newest_checkpoint(out: Path):
    """The newest complete checkpoint folder under out/checkpoints, or None."""
    dirs = _step_dirs(out / CHECKPOINTS)
    return dirs[-1][1] if dirs else None


def save_checkpoint(out: Path, step: int, model, opt, sched, data: DataOrder, extra: dict, cfg, write_weights, log) -> Path:
    """Writes step-<step>/ atomically (temp folder, then rename), then keeps only the newest save_total_limit checkpoints."""
    root = out / CHECKPOINTS
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-step-{step}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    torch.save(trainable_state(model), tmp / "trainable.pt")
    write_weights(tmp)  # the human-usable weights (PEFT adapter/, projector.pt): restore reads trainable.pt
    torch.save(opt.state_dict(), tmp / "optimizer.pt")
    torch.save(sched.state_dict(), tmp / "scheduler.pt")
    torch.save(_rng_state(), tmp / "rng.pt")
    state = {"format": FORMAT, "step": step, "data": data.state(), "extra": extra, "config": dict(cfg.__dict__)}
    (tmp / "state.json").write_text(json.dumps(state))
    final = root / f"step-{step}"
    if final.exists():
        old = root / f".old-step-{step}-{os.getpid()}"
        final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(final)
    for _, stale in _step_dirs(root)[:-max(cfg.save_total_limit, 1)]:
        shutil.rmtree(stale, ignore_errors=True)
    log.info(f"checkpoint step {step} → {final}")
    return final


def read_checkpoint(ckpt: Path, cfg) -> dict:
    """state.json of a checkpoint, refused when missing or written with a config that changes the steps' math."""
    path = Path(ckpt) / "state.json"
    if not path.exists():
        raise FileNotFoundError(f"{ckpt} is not a complete checkpoint (no state.json)")
    state = json.loads(path.read_text())
    if state.get("format") != FORMAT:
        raise ValueError(f"{ckpt}: checkpoint format {state.get('format')!r}, this trainer reads {FORMAT}")
    now = dict(cfg.__dict__)
    changed = sorted(k for k in set(now) | set(state["config"]) if k not in RESUMABLE_CHANGES and now.get(k) != state["config"].get(k))
    if changed:
        was = state["config"]
        diff = ", ".join(f"{k} ({was.get(k)!r} → {now.get(k)!r})" for k in changed)
        raise ValueError(f"cannot resume from {ckpt}: the config differs in {diff}")
    return state


def restore_checkpoint(ckpt: Path, state: dict, model, opt, sched, data: DataOrder) -> None:
    """Loads weights, optimizer, scheduler, data position and (last, so nothing consumes them) the RNG states."""
    ckpt = Path(ckpt)
    saved = torch.load(ckpt / "trainable.pt", map_location="cpu")
    params = {name: p for name, p in model.named_parameters() if p.requires_grad}
    if set(saved) != set(params):
        raise ValueError(f"{ckpt}: its trainable weights do not match this model's ({len(saved)} vs {len(params)} tensors)")
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(saved[name])
    opt.load_state_dict(torch.load(ckpt / "optimizer.pt", map_location="cpu"))
    sched.load_state_dict(torch.load(ckpt / "scheduler.pt", map_location="cpu"))
    data.restore(state["data"])
    rng = torch.load(ckpt / "rng.pt", map_location="cpu", weights_only=False)
    random.setstate(rng["python"])
    np.random.set_state(rng["numpy"])
    torch.set_rng_state(rng["torch"])
    if rng["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])


def adopt_resume(out: Path, ckpt: Path, step: int) -> None:
    """A checkpoint from another run folder (e.g. shipped in a remote bundle as <run>/checkpoints/step-N beside that run's metrics.jsonl and train.log): a fresh `out` takes a copy of it (temp name, then rename) and of those logs, so the run continues the earlier curve and can itself be resumed from step N."""
    ckpt = Path(ckpt).resolve()
    root = out / CHECKPOINTS
    if ckpt.parent.resolve() == root.resolve():
        return
    target = root / f"step-{step}"
    if not (target / "state.json").exists():
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".tmp-adopt-{step}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(ckpt, tmp)
        os.replace(tmp, target)
    run = ckpt.parent.parent
    for name in ("metrics.jsonl", "train.log"):
        if not (out / name).exists() and (run / name).exists():
            shutil.copyfile(run / name, out / name)


def prepare_out(out: Path, resume_step, resume=None) -> None:
    """Before the logs open: drop unfinished temp checkpoints; on resume also the metrics/log lines and checkpoints past the resumed step (a kill can leave them), after adopting a checkpoint from another run folder."""
    root = out / CHECKPOINTS
    if resume is not None and resume_step is not None:
        adopt_resume(out, resume, resume_step)
    if root.exists():
        for p in root.iterdir():
            if p.name.startswith((".tmp-", ".old-")):
                shutil.rmtree(p, ignore_errors=True)
    if resume_step is None:
        return
    for step, p in _step_dirs(root):
        if step > resume_step:
            shutil.rmtree(p, ignore_errors=True)
    _rewrite(out / "metrics.jsonl", lambda lines: [l for l in lines if json.loads(l)["step"] <= resume_step])

    def cut_log(lines):
        for i, line in enumerate(lines):
            m = LOG_STEP_LINE.match(line)
            if m and int(m.group(1)) > resume_step:
                return lines[:i]
        return lines
    _rewrite(out / "train.log", cut_log)


def _rewrite(path: Path, keep) -> None:
    """Whole lines only (a line cut by a kill is dropped), filtered by keep, replaced atomically."""
    if not path.exists():
        return
    text = path.read_text()
    lines = [l for l in text[: text.rfind("\n") + 1].split("\n") if l.strip()]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(l + "\n" for l in keep(lines)))
    os.replace(tmp, path)
