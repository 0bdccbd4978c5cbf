"""CLI: train (LoRA + merge + ONNX export), mini (MobileNetV2 + projector + LoRA LM mini-VLM), export (a PyTorch folder → studio ONNX layout), score (PyTorch reference numbers), seeds-bench (the seeds' transformers stack as a speed reference), parity (session-level export check)."""
import argparse
import json
import sys
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lfm2vl_trainer", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="LoRA fine-tune a base LFM2-VL or SmolVLM PyTorch folder (by config.json model_type) on prepared bundle inputs")
    t.add_argument("--base", required=True, type=Path)
    t.add_argument("--inputs", required=True, type=Path, help="folder from trainer/studio/prepare-inputs.ts")
    t.add_argument("--config", type=Path, help="YAML with the seeds' keys (defaults otherwise)")
    t.add_argument("--out", required=True, type=Path)
    t.add_argument("--resume", type=Path, help="continue from a checkpoint folder (<out>/checkpoints/step-<N>)")
    e = sub.add_parser("export", help="export a PyTorch LFM2-VL or SmolVLM folder (e.g. the untrained base) to the studio's ONNX layout")
    e.add_argument("--model", required=True, type=Path)
    e.add_argument("--out", required=True, type=Path)
    e.add_argument("--external-data-over", type=int, help="bytes of weights above which a session keeps them in <name>.onnx_data (default 1.8 GB)")
    s = sub.add_parser("score", help="PyTorch per-label log-probs and greedy tokens for prepared inputs")
    s.add_argument("--model", required=True, type=Path)
    s.add_argument("--inputs", required=True, type=Path)
    s.add_argument("--out", required=True, type=Path)
    s.add_argument("--max-new-tokens", type=int, default=8)
    m = sub.add_parser("mini", help="train the mini-VLM (frozen MobileNetV2 + projector + LoRA LM) on prepared inputs and export it")
    m.add_argument("--base", required=True, type=Path, help="PyTorch LFM2-VL folder whose language model and tokenizer are used")
    m.add_argument("--mobilenet", required=True, type=Path, help="mobilenetv2-12-int8.onnx (frozen vision encoder)")
    m.add_argument("--inputs", required=True, type=Path)
    m.add_argument("--config", type=Path)
    m.add_argument("--out", required=True, type=Path)
    m.add_argument("--untrained", action="store_true", help="export the initial model (random projector, zero LoRA) without training")
    m.add_argument("--resume", type=Path, help="continue from a checkpoint folder (<out>/checkpoints/step-<N>)")
    k = sub.add_parser("mini-check", help="stitched mini-VLM encoder vs a numpy/torch reference and MobileNetV2's ImageNet head (JSON)")
    k.add_argument("--base", required=True, type=Path)
    k.add_argument("--inputs", required=True, type=Path)
    k.add_argument("--mobilenet", required=True, type=Path)
    k.add_argument("--limit", type=int, default=40)
    b = sub.add_parser("seeds-bench", help="the seeds' stack (transformers + PyTorch eager generate, free and label-constrained) on prepared inputs: images/s (JSON)")
    b.add_argument("--model", required=True, type=Path)
    b.add_argument("--inputs", required=True, type=Path)
    b.add_argument("--out", required=True, type=Path)
    b.add_argument("--rounds", type=int, default=1)
    b.add_argument("--max-new-tokens", type=int, default=8)
    c = sub.add_parser("parity", help="export to a temp folder and print max |PyTorch − ONNX| per session on synthetic inputs (JSON)")
    c.add_argument("--model", required=True, type=Path)
    a = ap.parse_args(argv)
    if a.cmd == "train":
        from .config import load_config
        from .train import train
        cfg, notes = load_config(a.config)
        result = train(a.base, a.inputs, a.out, cfg, notes, a.resume)
        print(json.dumps({"steps": result["steps"], "train_seconds": result["train_seconds"], "out": str(a.out)}))
    elif a.cmd == "export":
        from .arch import load_model
        from .export_onnx import EXTERNAL_DATA_OVER
        from .train import export_model
        model = load_model(a.model)[0].eval()
        over = EXTERNAL_DATA_OVER if a.external_data_over is None else a.external_data_over
        print(json.dumps(export_model(model, a.model, a.out, over)))
    elif a.cmd == "mini":
        from .config import load_config
        from .mini_train import train_mini
        cfg, notes = load_config(a.config)
        result = train_mini(a.base, a.inputs, a.mobilenet, a.out, cfg, notes, a.untrained, a.resume)
        print(json.dumps({k: result[k] for k in ("steps", "train_seconds", "feature_seconds", "final_train_loss", "eval_loss")}))
    elif a.cmd == "mini-check":
        from .mini_check import check as mini_check
        print(json.dumps(mini_check(a.base, a.inputs, a.mobilenet, a.limit)))
    elif a.cmd == "seeds-bench":
        from .seeds_bench import write as write_bench
        write_bench(a.model, a.inputs, a.out, a.rounds, a.max_new_tokens)
    elif a.cmd == "parity":
        from .parity import check
        print(json.dumps(check(a.model)))
    else:
        from .score import write
        write(a.model, a.inputs, a.out, a.max_new_tokens)
    return 0


if __name__ == "__main__":
    sys.exit(main())
