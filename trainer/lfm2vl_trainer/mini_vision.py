"""Mini-VLM vision encoder: the studio's LFM2-VL patches → one image → the real frozen MobileNetV2 (int8 ONNX, stitched in) → pooled 1280-d features (→ projector)."""
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper

from .onnx_graph import F32, I64, OPSET, Graph

FEAT_DIM = 1280
# MobileNetV2-12-int8's quantized global-average-pool output (before the classifier) and its quantization params.
POOL_Q, POOL_SCALE, POOL_ZP = "464_quantized", "464_scale", "464_zero_point"
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
SIDE = 224


class Projector(torch.nn.Module):
    """Trainable bridge from MobileNetV2's pooled features to the language model's embedding space."""

    def __init__(self, text_hidden: int, inner: int = 256):
        super().__init__()
        self.norm = torch.nn.LayerNorm(FEAT_DIM)
        self.linear_1 = torch.nn.Linear(FEAT_DIM, inner)
        self.linear_2 = torch.nn.Linear(inner, text_hidden)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        return self.linear_2(torch.nn.functional.gelu(self.linear_1(self.norm(feats))))


def _image_from_patches(g: Graph, proc: dict) -> str:
    """First tile's valid h·w patches (p, p, c order, processor-normalised) → [1,3,224,224] ImageNet-normalised."""
    p = proc.get("encoder_patch_size", 16)
    pv = g.input("pixel_values", F32, ["batch_size", "num_patches", 3 * p * p])
    g.input("pixel_attention_mask", I64, ["batch_size", "num_patches"])  # fed by the engine; padding is sliced off instead
    ss = g.input("spatial_shapes", I64, ["batch_size", 2])
    first = g.op("Gather", [ss, g.const(0)], axis=0)  # [2] (h, w) of tile 0: the processor config keeps one tile
    h, w = g.op("Gather", [first, g.const([0])], axis=0), g.op("Gather", [first, g.const([1])], axis=0)
    tile = g.op("Gather", [pv, g.const(0)], axis=0)  # [P, 3p²]
    valid = g.op("Slice", [tile, g.const([0]), g.op("Mul", [h, w]), g.const([0])])
    grid = g.op("Reshape", [valid, g.op("Concat", [h, w, g.const([p, p, 3])], axis=0)])  # [h, w, p, p, 3]
    chw = g.op("Transpose", [grid], perm=[4, 0, 2, 1, 3])  # [3, h, p, w, p]
    img = g.op("Reshape", [chw, g.op("Concat", [g.const([1, 3]), g.op("Mul", [h, g.const([p])]), g.op("Mul", [w, g.const([p])])], axis=0)])
    mean_in = np.asarray(proc.get("image_mean", [0.5] * 3), np.float32).reshape(1, 3, 1, 1)
    std_in = np.asarray(proc.get("image_std", [0.5] * 3), np.float32).reshape(1, 3, 1, 1)
    std_out = np.asarray(IMAGENET_STD, np.float32).reshape(1, 3, 1, 1)
    mean_out = np.asarray(IMAGENET_MEAN, np.float32).reshape(1, 3, 1, 1)
    # back to 0..1, then ImageNet normalisation folded into one scale + shift per channel
    scale, shift = std_in / std_out, (mean_in - mean_out) / std_out
    img = g.op("Add", [g.op("Mul", [img, g.const(scale, np.float32)]), g.const(shift, np.float32)])
    return g.op("Resize", [img, "", "", g.const([1, 3, SIDE, SIDE])], mode="linear", coordinate_transformation_mode="half_pixel")


def _stitch_mobilenet(g: Graph, image: str, mobilenet: Path) -> str:
    """Appends MobileNetV2's nodes up to its global average pool (names prefixed) to g; returns the pooled [1,1280] float tensor."""
    m = onnx.load(str(mobilenet))
    nodes = []
    for n in m.graph.node:
        nodes.append(n)
        if POOL_Q in n.output:
            break
    else:
        raise ValueError(f"{mobilenet}: no {POOL_Q} (MobileNetV2-12-int8's pooled features) in the graph")
    rename = lambda t: image if t == m.graph.input[0].name else ("" if t == "" else f"mnv2/{t}")
    used = set()
    for n in nodes:
        used.update(n.input)
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        g.nodes.append(helper.make_node(n.op_type, [rename(t) for t in n.input], [rename(t) for t in n.output], domain=n.domain, **attrs))
    for init in m.graph.initializer:
        if init.name in used:
            t = onnx.TensorProto()
            t.CopyFrom(init)
            t.name = rename(init.name)
            g.inits.append(t)
    pooled = g.op("DequantizeLinear", [rename(POOL_Q), rename(POOL_SCALE), rename(POOL_ZP)])
    return g.op("Flatten", [pooled], axis=1)


def build_mini_vision(mobilenet: Path, proc: dict, projector: Projector | None = None, downsample: int = 2) -> onnx.ModelProto:
    """Without a projector: pooled features [1,1280] (what training reads); with one: image_features [N, H], N = (h/f)·(w/f) image tokens."""
    if proc.get("do_image_splitting", True):
        raise ValueError("the mini-VLM encoder reads one whole image: its processor needs do_image_splitting: false (see trainer/studio/mini-base.ts)")
    g = Graph("vision_encoder")
    feats = _stitch_mobilenet(g, _image_from_patches(g, proc), mobilenet)
    if projector is None:
        g.output(feats, "features", F32, [1, FEAT_DIM])
    else:
        x = g.layer_norm(feats, projector.norm.weight, projector.norm.bias, projector.norm.eps)
        x = g.linear(x, projector.linear_1.weight, projector.linear_1.bias)
        x = g.op("Mul", [g.op("Mul", [x, g.const(0.5, np.float32)]), g.op("Add", [g.const(1.0, np.float32), g.op("Erf", [g.op("Div", [x, g.const(np.sqrt(2), np.float32)])])])])
        x = g.linear(x, projector.linear_2.weight, projector.linear_2.bias)  # [1, H]
        ss = g.inputs[2].name
        hw = g.op("Gather", [ss, g.const(0)], axis=0)
        n = g.op("ReduceProd", [g.op("Div", [hw, g.const(downsample)])], keepdims=1)  # [1]
        hidden = projector.linear_2.out_features
        g.output(g.op("Expand", [x, g.op("Concat", [n, g.const([hidden])], axis=0)]), "image_features", F32, ["num_image_tokens", hidden])
    graph = helper.make_graph(g.nodes, g.name, g.inputs, g.outputs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)], producer_name="vlm-studio-mini-vlm")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def pooled_features(mobilenet: Path, proc: dict, samples: list) -> np.ndarray:
    """[len(samples), 1280] frozen features from the same stitched graph the export ships (onnxruntime, 2 threads)."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(build_mini_vision(mobilenet, proc).SerializeToString(), opts, providers=["CPUExecutionProvider"])
    out = [sess.run(["features"], feed)[0][0] for feed in samples]
    return np.stack(out).astype(np.float32)
