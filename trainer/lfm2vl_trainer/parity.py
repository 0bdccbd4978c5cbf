"""Session-level check of an export against the PyTorch model on synthetic inputs: LFM2-VL vision tiles of many shapes (down- and up-sampled position grids) or SmolVLM frames with padded regions, and decoder prefill vs cached steps."""
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from .arch import SMOLVLM, export_sessions_for, load_model

# (h, w) patch grids per tile: even sides (the processor's), smaller and larger than the position grid.
TILE_SHAPES = [[(4, 4), (6, 8), (2, 2)], [(2, 16), (16, 4)], [(12, 4), (4, 12)], [(2, 30), (10, 6)], [(8, 8), (2, 32)]]


def _empty_cache(sess, batch):
    feed = {}
    for i in sess.get_inputs():
        if i.name.startswith(("past_conv", "past_key_values")):
            feed[i.name] = np.zeros([batch if d == "batch_size" else 0 if isinstance(d, str) else d for d in i.shape], np.float32)
    return feed


def _as_past(names, values):
    return {n.replace("present_conv", "past_conv").replace("present.", "past_key_values."): v for n, v in zip(names, values)}


def _smol_image_features(model, vision, gen) -> float:
    """SmolVLM frames: whole, and with right/bottom padding (patch mask, bucketized position ids, masked keys)."""
    S = model.config.vision_config.image_size
    pv = torch.randn(1, 4, 3, S, S, generator=gen)
    pm = torch.ones(1, 4, S, S, dtype=torch.bool)
    pm[0, 1, :, S // 2 + 3:] = False
    pm[0, 2, S - S // 3:, :] = False
    pm[0, 3, S // 4:, S // 4:] = False
    ref = model.model.get_image_features(pixel_values=pv, pixel_attention_mask=pm).pooler_output
    got = vision.run(None, {"pixel_values": pv.numpy(), "pixel_attention_mask": pm.numpy()})[0]
    return float(np.abs(ref.numpy() - got).max())


@torch.no_grad()
def check(model_dir: Path, seed: int = 0) -> dict:
    """Exports `model_dir` to a temp folder and returns the max |torch − onnx| of image features, prefill logits, cached-step logits."""
    model, arch = load_model(model_dir)
    model.eval()
    cfg = model.config
    out = {}
    smol = arch is SMOLVLM
    with tempfile.TemporaryDirectory() as tmp:
        export_sessions_for(model, Path(tmp), 1 << 40)
        vision = ort.InferenceSession(f"{tmp}/onnx/vision_encoder.onnx")
        embed = ort.InferenceSession(f"{tmp}/onnx/embed_tokens.onnx")
        dec = ort.InferenceSession(f"{tmp}/onnx/decoder_model_merged.onnx")
        gen = torch.Generator().manual_seed(seed)
        if smol:
            out["image_features"] = _smol_image_features(model, vision, gen)
        patch_dim = cfg.vision_config.num_channels * cfg.vision_config.patch_size**2
        worst = 0.0
        for shapes in [] if smol else TILE_SHAPES:
            P = max(h * w for h, w in shapes)
            pv = torch.randn(len(shapes), P, patch_dim, generator=gen)
            pm = torch.zeros(len(shapes), P, dtype=torch.long)
            for i, (h, w) in enumerate(shapes):
                pm[i, : h * w] = 1
            ss = torch.tensor(shapes)
            ref = torch.cat(model.model.get_image_features(pixel_values=pv, spatial_shapes=ss, pixel_attention_mask=pm).pooler_output)
            got = vision.run(None, {"pixel_values": pv.numpy(), "pixel_attention_mask": pm.numpy(), "spatial_shapes": ss.numpy()})[0]
            worst = max(worst, float(np.abs(ref.numpy() - got).max()))
        if not smol:
            out["image_features"] = worst
        ids = torch.randint(0, cfg.text_config.vocab_size, (2, 12), generator=gen)
        logits = model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=False).logits.numpy()
        emb = embed.run(None, {"input_ids": ids.numpy()})[0]
        names = [o.name for o in dec.get_outputs()]
        pos = lambda a, b: {"position_ids": np.tile(np.arange(a, b), (2, 1))} if smol else {}  # Llama decoders take position_ids
        first = dec.run(None, {"inputs_embeds": emb[:, :8], "attention_mask": np.ones((2, 8), np.int64), **pos(0, 8), **_empty_cache(dec, 2)})
        out["prefill_logits"] = float(np.abs(logits[:, :8] - first[0]).max())
        past, diffs = first[1:], []
        for t in range(8, 12):  # one token at a time from the caches, as generation does
            step = dec.run(None, {"inputs_embeds": emb[:, t : t + 1], "attention_mask": np.ones((2, t + 1), np.int64), **pos(t, t + 1), **_as_past(names[1:], past)})
            diffs.append(float(np.abs(logits[:, t : t + 1] - step[0]).max()))
            past = step[1:]
        out["cached_step_logits"] = max(diffs)
    return out
