"""Checks the stitched mini-VLM encoder: its 224×224 image equals an independent numpy/torch un-patchify + resize, and MobileNetV2's own ImageNet head on it names the photo's species."""
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from .data import load_manifest
from .mini_vision import IMAGENET_MEAN, IMAGENET_STD, SIDE, build_mini_vision

# ImageNet class ranges of the MobileNetV2 labels file: dogs 151–268, domestic cats 281–285.
SPECIES = {"dog": range(151, 269), "cat": range(281, 286)}


def _reference_image(feed: dict, proc: dict) -> np.ndarray:
    p = proc.get("encoder_patch_size", 16)
    h, w = (int(v) for v in feed["spatial_shapes"][0])
    x = feed["pixel_values"][0][: h * w].reshape(h, w, p, p, 3).transpose(4, 0, 2, 1, 3).reshape(1, 3, h * p, w * p)
    mean_in, std_in = (np.asarray(proc.get(k, [0.5] * 3)).reshape(1, 3, 1, 1) for k in ("image_mean", "image_std"))
    x = (x * std_in + mean_in - np.asarray(IMAGENET_MEAN).reshape(1, 3, 1, 1)) / np.asarray(IMAGENET_STD).reshape(1, 3, 1, 1)
    return torch.nn.functional.interpolate(torch.from_numpy(x.astype(np.float32)), size=(SIDE, SIDE), mode="bilinear", align_corners=False).numpy()


def check(base_dir: Path, inputs_dir: Path, mobilenet: Path, limit: int) -> dict:
    """{n, max_image_diff, species_agreement} over the first `limit` samples whose label is cat or dog."""
    proc = json.loads((base_dir / "preprocessor_config.json").read_text())
    m = build_mini_vision(mobilenet, proc)
    resized = next(n for n in m.graph.node if n.op_type == "Resize").output[0]
    m.graph.output.append(onnx.helper.make_tensor_value_info(resized, onnx.TensorProto.FLOAT, None))
    stitched, head = ort.InferenceSession(m.SerializeToString()), ort.InferenceSession(str(mobilenet))
    samples = [s for s in load_manifest(inputs_dir)["samples"] if s["label"] in SPECIES][:limit]
    diff, agree = 0.0, 0
    for s in samples:
        feed = {k: np.load(inputs_dir / s["files"][k]) for k in ("pixel_values", "pixel_attention_mask", "spatial_shapes")}
        image = stitched.run([resized], feed)[0]
        diff = max(diff, float(np.abs(image - _reference_image(feed, proc)).max()))
        agree += int(head.run(None, {head.get_inputs()[0].name: image})[0][0].argmax()) in SPECIES[s["label"]]
    return {"n": len(samples), "max_image_diff": diff, "species_agreement": agree / max(len(samples), 1)}
