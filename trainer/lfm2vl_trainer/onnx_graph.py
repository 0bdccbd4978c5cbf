"""Minimal ONNX graph builder: names tensors, keeps weights as float32 initializers, so export code reads like the PyTorch forward it mirrors."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
F32 = TensorProto.FLOAT
I64 = TensorProto.INT64
BOOL = TensorProto.BOOL


class Graph:
    """Accumulates nodes, inputs, outputs and initializers for one session."""

    def __init__(self, name):
        self.name = name
        self.nodes, self.inputs, self.outputs, self.inits = [], [], [], []
        self._n = 0

    def _fresh(self, hint):
        self._n += 1
        return f"{hint}_{self._n}"

    def input(self, name, dtype, dims):
        self.inputs.append(helper.make_tensor_value_info(name, dtype, dims))
        return name

    def output(self, tensor, name, dtype, dims):
        self.nodes.append(helper.make_node("Identity", [tensor], [name]))
        self.outputs.append(helper.make_tensor_value_info(name, dtype, dims))

    def weight(self, name, array):
        """A float32 initializer copied from a (merged) PyTorch tensor or numpy array."""
        arr = array.detach().cpu().float().numpy() if hasattr(array, "detach") else np.asarray(array, dtype=np.float32)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32), name))
        return name

    def const(self, values, dtype=np.int64):
        arr = np.asarray(values, dtype=dtype)
        name = self._fresh("const")
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self._fresh(op_type) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, **attrs))
        return outs[0] if n_out == 1 else outs

    # --- small composites used by both vision and text graphs ---
    def linear(self, x, w, b=None):
        """x @ W^T (+ b) for a torch nn.Linear weight [out, in]."""
        y = self.op("MatMul", [x, self.weight(self._fresh("wT"), w.detach().float().t().contiguous())])
        return self.op("Add", [y, self.weight(self._fresh("b"), b)]) if b is not None else y

    def rms_norm(self, x, weight, eps):
        var = self.op("ReduceMean", [self.op("Mul", [x, x])], axes=[-1], keepdims=1)
        inv = self.op("Reciprocal", [self.op("Sqrt", [self.op("Add", [var, self.const(eps, np.float32)])])])
        return self.op("Mul", [self.op("Mul", [x, inv]), self.weight(self._fresh("rms"), weight)])

    def layer_norm(self, x, weight, bias, eps):
        return self.op("LayerNormalization", [x, self.weight(self._fresh("ln_w"), weight), self.weight(self._fresh("ln_b"), bias)], axis=-1, epsilon=float(eps))

    def dim(self, x, axis):
        """Scalar int64 size of `x` along `axis`."""
        return self.op("Squeeze", [self.op("Slice", [self.op("Shape", [x]), self.const([axis]), self.const([axis + 1])]), self.const([0])])

    def unsqueeze(self, x, axes):
        return self.op("Unsqueeze", [x, self.const(axes)])

    def weight_bytes(self) -> int:
        return sum(len(t.raw_data) for t in self.inits)

    def model(self, check: bool = True):
        """The ModelProto; `check` runs the in-memory checker, which cannot handle protos over 2 GB (check the saved file instead)."""
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="vlm-studio-trainer")
        m.ir_version = 8
        if check:
            onnx.checker.check_model(m)
        return m
