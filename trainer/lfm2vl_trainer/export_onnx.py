"""Writes the three ONNX sessions the studio loads (vision_encoder, embed_tokens, decoder_model_merged) from a merged LFM2-VL model's own weights."""
import math
from pathlib import Path

import numpy as np
import onnx

from .onnx_graph import BOOL, F32, I64, Graph

INT64_MAX = 2**62


def _aa_weights(g, out_size, in_size, coord):
    """PyTorch's bilinear antialias (align_corners=False) weights of output `coord` (int64 [...]) for a resize in_size → out_size (scalars); returns float [..., in_size]."""
    n = g.op("Cast", [out_size], to=F32)
    scale = g.op("Div", [g.const(float(in_size), np.float32), n])
    one = g.const(1.0, np.float32)
    inv = g.op("Div", [one, g.op("Max", [scale, one])])  # 1/scale when downsampling, else 1
    center = g.op("Mul", [scale, g.op("Add", [g.op("Cast", [coord], to=F32), g.const(0.5, np.float32)])])
    j = g.const(np.arange(in_size, dtype=np.float32) + 0.5, np.float32)
    dist = g.op("Abs", [g.op("Mul", [g.op("Sub", [j, g.unsqueeze(center, [-1])]), g.unsqueeze(inv, [-1])])])
    w = g.op("Relu", [g.op("Sub", [one, dist])])
    return g.op("Div", [w, g.op("ReduceSum", [w, g.const([-1])], keepdims=1)])


def build_vision(model, cfg):
    """pixel_values [B,P,3·p²], pixel_attention_mask [B,P], spatial_shapes [B,2] → image_features [N, text_hidden] (Siglip2 + projector, valid patches only)."""
    g = Graph("vision_encoder")
    vt = model.model.vision_tower
    proj = model.model.multi_modal_projector
    vc = cfg.vision_config
    D, patch_dim = vc.hidden_size, vc.num_channels * vc.patch_size**2
    pv = g.input("pixel_values", F32, ["batch_size", "num_patches", patch_dim])
    pm = g.input("pixel_attention_mask", I64, ["batch_size", "num_patches"])
    ss = g.input("spatial_shapes", I64, ["batch_size", 2])
    emb = vt.embeddings
    x = g.linear(pv, emb.patch_embedding.weight, emb.patch_embedding.bias)
    # Position embeddings: the learned S0×S0 grid resized to each tile's h×w (separable antialiased bilinear).
    S0 = int(emb.num_patches**0.5)
    h = g.op("Gather", [ss, g.const(0)], axis=1)  # [B]
    w = g.op("Gather", [ss, g.const(1)], axis=1)
    P = g.dim(pv, 1)
    p = g.op("Range", [g.const(0), P, g.const(1)])  # [P]
    wcol = g.unsqueeze(w, [1])
    y_idx = g.op("Div", [g.unsqueeze(p, [0]), wcol])  # [B,P]
    x_idx = g.op("Mod", [g.unsqueeze(p, [0]), wcol])
    valid = g.op("Less", [g.unsqueeze(p, [0]), g.op("Mul", [g.unsqueeze(h, [1]), wcol])])
    # padded positions get position 0's embedding, as resize_positional_embeddings pads with resized[0]
    zero = g.const(0)
    y_idx = g.op("Where", [valid, y_idx, zero])
    x_idx = g.op("Where", [valid, x_idx, zero])
    wy = _aa_weights(g, g.unsqueeze(h, [1]), S0, y_idx)  # [B,P,S0]
    wx = _aa_weights(g, wcol, S0, x_idx)  # [B,P,S0]
    outer = g.op("Mul", [g.unsqueeze(wy, [3]), g.unsqueeze(wx, [2])])  # [B,P,S0,S0]
    outer = g.op("Reshape", [outer, g.const([0, 0, S0 * S0])])
    pos = g.op("MatMul", [outer, g.weight("vision.position_embedding", emb.position_embedding.weight)])
    x = g.op("Add", [x, pos])
    # Bidirectional encoder; padded patches are masked as keys.
    key_ok = g.unsqueeze(g.op("Cast", [pm], to=BOOL), [1, 2])
    bias = g.op("Where", [key_ok, g.const(0.0, np.float32), g.const(np.finfo(np.float32).min, np.float32)])
    for layer in vt.encoder.layers:
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
    x = g.layer_norm(x, vt.post_layernorm.weight, vt.post_layernorm.bias, vt.post_layernorm.eps)
    flat = g.op("Reshape", [x, g.const([-1, D])])
    # Pixel-unshuffle by `factor` of each tile's valid h×w patches, rows in (row, col) order (Lfm2VlMultiModalProjector).
    f = cfg.downsample_factor
    hh, ww = g.op("Div", [h, g.const(f)]), g.op("Div", [w, g.const(f)])
    count = g.op("Mul", [hh, ww])
    cum = g.op("CumSum", [count, g.const(0)])
    total = g.op("ReduceSum", [count], keepdims=0)
    r = g.op("Range", [g.const(0), total, g.const(1)])
    ge = g.op("GreaterOrEqual", [g.unsqueeze(r, [1]), g.unsqueeze(cum, [0])])
    tile = g.op("ReduceSum", [g.op("Cast", [ge], to=I64), g.const([1])], keepdims=0)
    local = g.op("Sub", [r, g.op("Gather", [g.op("Sub", [cum, count]), tile], axis=0)])
    wwT = g.op("Gather", [ww, tile], axis=0)
    wT = g.op("Gather", [w, tile], axis=0)
    row, col = g.op("Div", [local, wwT]), g.op("Mod", [local, wwT])
    base = g.op("Mul", [tile, P])
    parts = []
    for dy in range(f):
        for dx in range(f):
            yy = g.op("Add", [g.op("Mul", [row, g.const(f)]), g.const(dy)])
            xx = g.op("Add", [g.op("Mul", [col, g.const(f)]), g.const(dx)])
            parts.append(g.op("Gather", [flat, g.op("Add", [base, g.op("Add", [g.op("Mul", [yy, wT]), xx])])], axis=0))
    feats = g.op("Concat", parts, axis=1)
    if proj.use_layer_norm:
        feats = g.layer_norm(feats, proj.layer_norm.weight, proj.layer_norm.bias, proj.layer_norm.eps)
    hid = _gelu(g, g.linear(feats, proj.linear_1.weight, proj.linear_1.bias), cfg.projector_hidden_act)
    out = g.linear(hid, proj.linear_2.weight, proj.linear_2.bias)
    g.output(out, "image_features", F32, ["num_image_tokens", cfg.text_config.hidden_size])
    return g


def _gelu(g, x, act):
    """gelu (erf) or gelu_pytorch_tanh, written out with primitive ops."""
    half = g.const(0.5, np.float32)
    one = g.const(1.0, np.float32)
    if act in ("gelu_pytorch_tanh", "gelu_new", "gelu_fast"):
        inner = g.op("Mul", [g.const(math.sqrt(2 / math.pi), np.float32), g.op("Add", [x, g.op("Mul", [g.const(0.044715, np.float32), g.op("Mul", [x, g.op("Mul", [x, x])])])])])
        return g.op("Mul", [g.op("Mul", [half, x]), g.op("Add", [one, g.op("Tanh", [inner])])])
    if act == "gelu":
        return g.op("Mul", [g.op("Mul", [half, x]), g.op("Add", [one, g.op("Erf", [g.op("Div", [x, g.const(math.sqrt(2), np.float32)])])])])
    raise ValueError(f"unsupported activation for export: {act}")


def build_embed(model, cfg):
    """input_ids [batch_size, sequence_length] → inputs_embeds."""
    g = Graph("embed_tokens")
    ids = g.input("input_ids", I64, ["batch_size", "sequence_length"])
    table = g.weight("model.embed_tokens.weight", model.model.language_model.embed_tokens.weight)
    g.output(g.op("Gather", [table, ids], axis=0), "inputs_embeds", F32, ["batch_size", "sequence_length", cfg.text_config.hidden_size])
    return g


def _rope_tables(tc, head_dim):
    inv = 1.0 / (tc.rope_parameters["rope_theta"] if getattr(tc, "rope_parameters", None) else tc.rope_theta) ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    return inv.astype(np.float32)


def build_decoder(model, cfg):
    """inputs_embeds, attention_mask, past_conv.i / past_key_values.i.key|value → logits, present_conv.i / present.i.key|value (LFM2 hybrid conv + attention)."""
    g = Graph("decoder_model_merged")
    tc = cfg.text_config
    lm = model.model.language_model
    H = tc.hidden_size
    heads, kv = tc.num_attention_heads, tc.num_key_value_heads
    hd = H // heads
    L = tc.conv_L_cache
    x = g.input("inputs_embeds", F32, ["batch_size", "sequence_length", H])
    mask = g.input("attention_mask", I64, ["batch_size", "total_sequence_length"])
    S, T = g.dim(x, 1), g.dim(mask, 1)
    past_len = g.op("Sub", [T, S])
    qpos = g.op("Range", [past_len, T, g.const(1)])  # cache_position: positions past..T-1 (no left padding)
    # RoPE cos/sin [S, hd] (default rope, rotate_half layout)
    inv = _rope_tables(tc, hd)
    freqs = g.op("Mul", [g.unsqueeze(g.op("Cast", [qpos], to=F32), [1]), g.const(np.concatenate([inv, inv]), np.float32)])
    cos, sin = g.op("Cos", [freqs]), g.op("Sin", [freqs])
    kpos = g.op("Range", [g.const(0), T, g.const(1)])
    causal = g.op("LessOrEqual", [g.unsqueeze(kpos, [0]), g.unsqueeze(qpos, [1])])
    not_pad = g.unsqueeze(g.op("Cast", [mask], to=BOOL), [1, 2])
    allowed = g.op("And", [g.unsqueeze(causal, [0, 1]), not_pad])
    bias = g.op("Where", [allowed, g.const(0.0, np.float32), g.const(np.finfo(np.float32).min, np.float32)])
    # the current tokens' mask [B,S,1]: conv layers zero padded positions (apply_mask_to_padding_states)
    cur_mask = g.unsqueeze(g.op("Cast", [g.op("Slice", [mask, g.op("Unsqueeze", [past_len, g.const([0])]), g.const([INT64_MAX]), g.const([1])])], to=F32), [2])

    def rot(t):
        t1 = g.op("Slice", [t, g.const([0]), g.const([hd // 2]), g.const([-1])])
        t2 = g.op("Slice", [t, g.const([hd // 2]), g.const([hd]), g.const([-1])])
        rh = g.op("Concat", [g.op("Neg", [t2]), t1], axis=-1)
        return g.op("Add", [g.op("Mul", [t, cos]), g.op("Mul", [rh, sin])])

    presents = []
    for i, layer in enumerate(lm.layers):
        hs = g.rms_norm(x, layer.operator_norm.weight, layer.operator_norm.variance_epsilon)
        if layer.is_attention_layer:
            a = layer.self_attn
            heads_of = lambda t, n: g.op("Reshape", [t, g.const([0, 0, n, hd])])
            q = g.op("Transpose", [g.rms_norm(heads_of(g.linear(hs, a.q_proj.weight), heads), a.q_layernorm.weight, a.q_layernorm.variance_epsilon)], perm=[0, 2, 1, 3])
            k = g.op("Transpose", [g.rms_norm(heads_of(g.linear(hs, a.k_proj.weight), kv), a.k_layernorm.weight, a.k_layernorm.variance_epsilon)], perm=[0, 2, 1, 3])
            v = g.op("Transpose", [heads_of(g.linear(hs, a.v_proj.weight), kv)], perm=[0, 2, 1, 3])
            q, k = rot(q), rot(k)
            pk = g.input(f"past_key_values.{i}.key", F32, ["batch_size", kv, "past_sequence_length", hd])
            pv_ = g.input(f"past_key_values.{i}.value", F32, ["batch_size", kv, "past_sequence_length", hd])
            key, value = g.op("Concat", [pk, k], axis=2), g.op("Concat", [pv_, v], axis=2)
            presents.append((key, f"present.{i}.key", ["batch_size", kv, "total_sequence_length", hd]))
            presents.append((value, f"present.{i}.value", ["batch_size", kv, "total_sequence_length", hd]))
            if heads != kv:  # GQA: repeat each kv head heads/kv times
                rep = heads // kv
                expand = lambda t: g.op("Reshape", [g.op("Expand", [g.unsqueeze(t, [2]), g.const([1, 1, rep, 1, 1])]), g.const([0, heads, -1, hd])])
                key, value = expand(key), expand(value)
            s = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [key], perm=[0, 1, 3, 2])]), g.const(a.scaling, np.float32)]), bias])
            ctx = g.op("MatMul", [g.op("Softmax", [s], axis=-1), value])
            ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), g.const([0, 0, heads * hd])])
            out = g.linear(ctx, a.out_proj.weight)
        else:
            c = layer.conv
            bcx = g.linear(g.op("Mul", [hs, cur_mask]), c.in_proj.weight, c.in_proj.bias)
            b_, c_, x_ = g.op("Split", [bcx, g.const([H, H, H])], n_out=3, axis=-1)
            bx = g.op("Transpose", [g.op("Mul", [b_, x_])], perm=[0, 2, 1])  # [B,H,S]
            past = g.input(f"past_conv.{i}", F32, ["batch_size", H, L])
            cat = g.op("Concat", [past, bx], axis=2)
            presents.append((g.op("Slice", [cat, g.const([-L]), g.const([INT64_MAX]), g.const([2])]), f"present_conv.{i}", ["batch_size", H, L]))
            conv_in = g.op("Slice", [cat, g.const([1]), g.const([INT64_MAX]), g.const([2])])
            conv_inputs = [conv_in, g.weight(f"layers.{i}.conv.weight", c.conv.weight)]
            if c.conv.bias is not None:
                conv_inputs.append(g.weight(f"layers.{i}.conv.bias", c.conv.bias))
            conv = g.op("Conv", conv_inputs, group=H, kernel_shape=[L])
            y = g.op("Mul", [c_, g.op("Transpose", [conv], perm=[0, 2, 1])])
            out = g.linear(y, c.out_proj.weight, c.out_proj.bias)
        x = g.op("Add", [x, out])
        ff = layer.feed_forward
        hs = g.rms_norm(x, layer.ffn_norm.weight, layer.ffn_norm.variance_epsilon)
        gate = g.linear(hs, ff.w1.weight)
        silu = g.op("Mul", [gate, g.op("Sigmoid", [gate])])
        x = g.op("Add", [x, g.linear(g.op("Mul", [silu, g.linear(hs, ff.w3.weight)]), ff.w2.weight)])
    x = g.rms_norm(x, lm.embedding_norm.weight, lm.embedding_norm.variance_epsilon)
    logits = g.linear(x, model.lm_head.weight)
    g.output(logits, "logits", F32, ["batch_size", "sequence_length", tc.vocab_size])
    for t, name, dims in presents:
        g.output(t, name, F32, dims)
    return g


# Protobuf caps a file at 2 GB: bigger sessions (LFM2-VL-1.6B's decoder in fp32) keep weights in `<name>.onnx_data`.
EXTERNAL_DATA_OVER = 1_800_000_000


def export_sessions(model, out_dir: Path, external_data_over: int = EXTERNAL_DATA_OVER) -> dict:
    """Writes onnx/{vision_encoder,embed_tokens,decoder_model_merged}.onnx; returns {file name: uses external data}."""
    return write_sessions(model, out_dir, (("vision_encoder", build_vision), ("embed_tokens", build_embed), ("decoder_model_merged", build_decoder)), external_data_over)


def write_sessions(model, out_dir: Path, builders, external_data_over: int = EXTERNAL_DATA_OVER) -> dict:
    """Builds each (name, build(model, config)) graph and saves it as onnx/<name>.onnx (external data above the threshold)."""
    cfg = model.config
    onnx_dir = out_dir / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, build in builders:
        g = build(model, cfg)
        path = onnx_dir / f"{name}.onnx"
        external = g.weight_bytes() > external_data_over
        if external:
            # transformers.js looks for `<file>_data` when config.json's transformers.js_config says 1 chunk; tensors under
            # 1 KB (shape constants) stay inline because ORT's shape inference must read them
            onnx.save_model(g.model(check=False), str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=f"{name}.onnx_data", size_threshold=1024)
            onnx.checker.check_model(str(path))
        else:
            onnx.save(g.model(), str(path))
        written[path.name] = external
    return written
