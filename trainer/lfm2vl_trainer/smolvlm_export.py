"""ONNX sessions in the transformers.js SmolVLM/Idefics3 layout (vision_encoder, embed_tokens, decoder_model_merged with position_ids) from a merged model's own weights."""
from pathlib import Path

import numpy as np
import torch

from .export_onnx import EXTERNAL_DATA_OVER, INT64_MAX, _gelu, _rope_tables, write_sessions
from .onnx_graph import BOOL, F32, I64, Graph


def _position_ids(g, pmask, n_side, h, w):
    """SmolVLMVisionEmbeddings' position ids: each valid patch's fractional (row, col) bucketized on the n_side grid; padded patches 0."""
    boundaries = torch.arange(1 / n_side, 1.0, 1 / n_side).numpy().astype(np.float32)  # exactly the buckets torch uses
    nb_h = g.op("ReduceSum", [g.op("Slice", [pmask, g.const([0]), g.const([1]), g.const([2])]), g.const([1, 2])], keepdims=0)  # [F]
    nb_w = g.op("ReduceSum", [g.op("Slice", [pmask, g.const([0]), g.const([1]), g.const([1])]), g.const([1, 2])], keepdims=0)
    one = g.const(1.0, np.float32)

    def buckets(nb, size):
        step = g.op("Div", [one, nb])  # [F]
        coords = g.op("Mul", [g.const(np.arange(size, dtype=np.float32), np.float32), g.unsqueeze(step, [1])])  # [F,size]
        coords = g.op("Min", [coords, g.const(np.float32(1.0 - 1e-6), np.float32)])
        ge = g.op("GreaterOrEqual", [g.unsqueeze(coords, [2]), g.const(boundaries, np.float32)])  # right=True: count of boundaries ≤ x
        return g.op("ReduceSum", [g.op("Cast", [ge], to=I64), g.const([2])], keepdims=0)  # [F,size]

    bh, bw = buckets(nb_h, h), buckets(nb_w, w)
    pos = g.op("Add", [g.op("Mul", [g.unsqueeze(bh, [2]), g.const(n_side)]), g.unsqueeze(bw, [1])])  # [F,h,w]
    pos = g.op("Reshape", [pos, g.const([0, -1])])
    valid = g.op("Cast", [g.op("Reshape", [pmask, g.const([0, -1])])], to=BOOL)
    return g.op("Where", [valid, pos, g.const(0)]), valid


def build_vision(model, cfg):
    """pixel_values [B,N,3,S,S], pixel_attention_mask bool [B,N,S,S] → image_features [B·N, image_seq_len, text_hidden]."""
    g = Graph("vision_encoder")
    vm, conn = model.model.vision_model, model.model.connector
    vc = cfg.vision_config
    D, p, S = vc.hidden_size, vc.patch_size, vc.image_size
    n = S // p
    sf = cfg.scale_factor
    pv = g.input("pixel_values", F32, ["batch_size", "num_images", 3, S, S])
    pm = g.input("pixel_attention_mask", BOOL, ["batch_size", "num_images", S, S])
    frames = g.op("Reshape", [pv, g.const([-1, 3, S, S])])
    mask = g.op("Reshape", [g.op("Cast", [pm], to=F32), g.const([-1, 1, S, S])])
    # a patch is valid when any of its pixels is (patches_subgrid.sum() > 0)
    pmask = g.op("Reshape", [g.op("MaxPool", [mask], kernel_shape=[p, p], strides=[p, p]), g.const([-1, n, n])])  # [F,n,n] 0/1
    emb = vm.embeddings
    x = g.op("Conv", [frames, g.weight("vision.patch_embedding.weight", emb.patch_embedding.weight),
                      g.weight("vision.patch_embedding.bias", emb.patch_embedding.bias)], kernel_shape=[p, p], strides=[p, p])
    x = g.op("Transpose", [g.op("Reshape", [x, g.const([0, D, -1])])], perm=[0, 2, 1])  # [F, n², D]
    pos, valid = _position_ids(g, pmask, emb.num_patches_per_side, n, n)
    x = g.op("Add", [x, g.op("Gather", [g.weight("vision.position_embedding", emb.position_embedding.weight), pos], axis=0)])
    bias = g.op("Where", [g.unsqueeze(valid, [1, 2]), g.const(0.0, np.float32), g.const(np.finfo(np.float32).min, np.float32)])
    for layer in vm.encoder.layers:
        a = layer.self_attn
        heads, hd = a.num_heads, a.head_dim
        hs = g.layer_norm(x, layer.layer_norm1.weight, layer.layer_norm1.bias, layer.layer_norm1.eps)
        split = lambda t: g.op("Transpose", [g.op("Reshape", [t, g.const([0, 0, heads, hd])])], perm=[0, 2, 1, 3])
        q = split(g.linear(hs, a.q_proj.weight, a.q_proj.bias))
        k = split(g.linear(hs, a.k_proj.weight, a.k_proj.bias))
        v = split(g.linear(hs, a.v_proj.weight, a.v_proj.bias))
        s = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])]), g.const(a.scale, np.float32)]), bias])
        ctx = g.op("MatMul", [g.op("Softmax", [s], axis=-1), v])
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), g.const([0, 0, heads * hd])])
        x = g.op("Add", [x, g.linear(ctx, a.out_proj.weight, a.out_proj.bias)])
        hs = g.layer_norm(x, layer.layer_norm2.weight, layer.layer_norm2.bias, layer.layer_norm2.eps)
        f1 = g.linear(hs, layer.mlp.fc1.weight, layer.mlp.fc1.bias)
        x = g.op("Add", [x, g.linear(_gelu(g, f1, vc.hidden_act), layer.mlp.fc2.weight, layer.mlp.fc2.bias)])
    x = g.layer_norm(x, vm.post_layernorm.weight, vm.post_layernorm.bias, vm.post_layernorm.eps)
    # SmolVLMConnector.pixel_shuffle on the square n×n grid, then the bias-free modality projection
    x = g.op("Reshape", [x, g.const([-1, n, n // sf, D * sf])])
    x = g.op("Transpose", [x], perm=[0, 2, 1, 3])
    x = g.op("Reshape", [x, g.const([-1, n // sf, n // sf, D * sf * sf])])
    x = g.op("Transpose", [x], perm=[0, 2, 1, 3])
    x = g.op("Reshape", [x, g.const([-1, (n // sf) ** 2, D * sf * sf])])
    out = g.linear(x, conn.modality_projection.proj.weight, conn.modality_projection.proj.bias)
    g.output(out, "image_features", F32, ["num_frames", (n // sf) ** 2, cfg.text_config.hidden_size])
    return g


def build_embed(model, cfg):
    """input_ids [batch_size, sequence_length] → inputs_embeds."""
    g = Graph("embed_tokens")
    ids = g.input("input_ids", I64, ["batch_size", "sequence_length"])
    table = g.weight("model.embed_tokens.weight", model.model.text_model.embed_tokens.weight)
    g.output(g.op("Gather", [table, ids], axis=0), "inputs_embeds", F32, ["batch_size", "sequence_length", cfg.text_config.hidden_size])
    return g


def build_decoder(model, cfg):
    """inputs_embeds, attention_mask, position_ids, past_key_values.i.key|value → logits, present.i.key|value (Llama decoder, RoPE, GQA)."""
    g = Graph("decoder_model_merged")
    tc = cfg.text_config
    lm = model.model.text_model
    H, heads, kv = tc.hidden_size, tc.num_attention_heads, tc.num_key_value_heads
    hd = getattr(tc, "head_dim", None) or H // heads
    x = g.input("inputs_embeds", F32, ["batch_size", "sequence_length", H])
    mask = g.input("attention_mask", I64, ["batch_size", "total_sequence_length"])
    pos = g.input("position_ids", I64, ["batch_size", "sequence_length"])
    S, T = g.dim(x, 1), g.dim(mask, 1)
    qpos = g.op("Range", [g.op("Sub", [T, S]), T, g.const(1)])
    inv = _rope_tables(tc, hd)
    freqs = g.op("Mul", [g.unsqueeze(g.op("Cast", [pos], to=F32), [2]), g.const(np.concatenate([inv, inv]), np.float32)])  # [B,S,hd]
    cos, sin = g.unsqueeze(g.op("Cos", [freqs]), [1]), g.unsqueeze(g.op("Sin", [freqs]), [1])
    kpos = g.op("Range", [g.const(0), T, g.const(1)])
    causal = g.op("LessOrEqual", [g.unsqueeze(kpos, [0]), g.unsqueeze(qpos, [1])])
    allowed = g.op("And", [g.unsqueeze(causal, [0, 1]), g.unsqueeze(g.op("Cast", [mask], to=BOOL), [1, 2])])
    bias = g.op("Where", [allowed, g.const(0.0, np.float32), g.const(np.finfo(np.float32).min, np.float32)])

    def rot(t):
        t1 = g.op("Slice", [t, g.const([0]), g.const([hd // 2]), g.const([-1])])
        t2 = g.op("Slice", [t, g.const([hd // 2]), g.const([INT64_MAX]), g.const([-1])])
        return g.op("Add", [g.op("Mul", [t, cos]), g.op("Mul", [g.op("Concat", [g.op("Neg", [t2]), t1], axis=-1), sin])])

    presents = []
    for i, layer in enumerate(lm.layers):
        a = layer.self_attn
        hs = g.rms_norm(x, layer.input_layernorm.weight, layer.input_layernorm.variance_epsilon)
        heads_of = lambda t, m: g.op("Transpose", [g.op("Reshape", [t, g.const([0, 0, m, hd])])], perm=[0, 2, 1, 3])
        q = rot(heads_of(g.linear(hs, a.q_proj.weight, a.q_proj.bias), heads))
        k = rot(heads_of(g.linear(hs, a.k_proj.weight, a.k_proj.bias), kv))
        v = heads_of(g.linear(hs, a.v_proj.weight, a.v_proj.bias), kv)
        pk = g.input(f"past_key_values.{i}.key", F32, ["batch_size", kv, "past_sequence_length", hd])
        pvv = g.input(f"past_key_values.{i}.value", F32, ["batch_size", kv, "past_sequence_length", hd])
        key, value = g.op("Concat", [pk, k], axis=2), g.op("Concat", [pvv, v], axis=2)
        presents.append((key, f"present.{i}.key"))
        presents.append((value, f"present.{i}.value"))
        if heads != kv:  # GQA: each kv head serves heads/kv query heads
            rep = heads // kv
            expand = lambda t: g.op("Reshape", [g.op("Expand", [g.unsqueeze(t, [2]), g.const([1, 1, rep, 1, 1])]), g.const([0, heads, -1, hd])])
            key, value = expand(key), expand(value)
        s = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [key], perm=[0, 1, 3, 2])]), g.const(a.scaling, np.float32)]), bias])
        ctx = g.op("MatMul", [g.op("Softmax", [s], axis=-1), value])
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), g.const([0, 0, heads * hd])])
        x = g.op("Add", [x, g.linear(ctx, a.o_proj.weight, a.o_proj.bias)])
        mlp = layer.mlp
        hs = g.rms_norm(x, layer.post_attention_layernorm.weight, layer.post_attention_layernorm.variance_epsilon)
        gate = g.linear(hs, mlp.gate_proj.weight, mlp.gate_proj.bias)
        act = g.op("Mul", [gate, g.op("Sigmoid", [gate])])
        x = g.op("Add", [x, g.linear(g.op("Mul", [act, g.linear(hs, mlp.up_proj.weight, mlp.up_proj.bias)]), mlp.down_proj.weight, mlp.down_proj.bias)])
    x = g.rms_norm(x, lm.norm.weight, lm.norm.variance_epsilon)
    g.output(g.linear(x, model.lm_head.weight), "logits", F32, ["batch_size", "sequence_length", tc.vocab_size])
    for t, name in presents:
        g.output(t, name, F32, ["batch_size", kv, "total_sequence_length", hd])
    return g


def export_sessions(model, out_dir: Path, external_data_over: int = EXTERNAL_DATA_OVER) -> dict:
    """Writes onnx/{vision_encoder,embed_tokens,decoder_model_merged}.onnx for a SmolVLM/Idefics3 model; {file name: uses external data}."""
    if model.config.text_config.hidden_act != "silu":
        raise ValueError(f"unsupported text activation for export: {model.config.text_config.hidden_act}")
    builders = (("vision_encoder", build_vision), ("embed_tokens", build_embed), ("decoder_model_merged", build_decoder))
    return write_sessions(model, out_dir, builders, external_data_over)
