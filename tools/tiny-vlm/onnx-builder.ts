/** Minimal ONNX graph builder on onnx-proto, used to write tiny random-weight VLM sessions. */
import onnxProto from 'onnx-proto';
import { normalArray } from './rng';

const { onnx } = onnxProto;

export type ElemType = 'float32' | 'int64' | 'bool' | 'int8';
export type Dim = number | string;
type AttrValue = number | number[] | string;

const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  int8: onnx.TensorProto.DataType.INT8,
};

/** Opset used by every generated graph (Reduce* take axes as attribute except ReduceSum, 13+). */
export const OPSET = 14;

function valueInfo(name: string, type: ElemType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (Number.isInteger(value) && !Object.is(value, -0)) return { name, type: T.INT, i: value };
  return { name, type: T.FLOAT, f: value };
}

export interface WeightOptions {
  /** Store as int8 + DequantizeLinear (the `_quantized` variant). */
  quantize: boolean;
  rng: () => number;
}

/** Accumulates nodes/initializers and serialises a ModelProto. Tensor names are plain strings. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(
    private readonly graphName: string,
    private readonly weights: WeightOptions,
  ) {}

  private fresh(hint: string): string {
    this.counter += 1;
    return `/${hint}_${this.counter}`;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output; renames through Identity when the tensor has another name. */
  output(tensor: string, name: string, type: ElemType, dims: Dim[]): void {
    if (tensor !== name) this.nodes.push({ opType: 'Identity', input: [tensor], output: [name], name: `${name}_out` });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds a node and returns its output names (`outputs` of them). */
  opN(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1): string[] {
    const out = Array.from({ length: outputs }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      input: inputs,
      output: out,
      name: `${out[0]}_node`,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.opN(opType, inputs, attrs, 1)[0];
  }

  private init(name: string, type: ElemType, dims: number[], raw: Uint8Array): string {
    this.inits.push({ name, dataType: ELEM[type], dims, rawData: raw });
    return name;
  }

  constFloat(values: ArrayLike<number>, dims: number[]): string {
    const data = Float32Array.from(values);
    return this.init(this.fresh('const_f'), 'float32', dims, new Uint8Array(data.buffer));
  }

  constInt(values: ArrayLike<number>, dims: number[]): string {
    const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    return this.init(this.fresh('const_i'), 'int64', dims, new Uint8Array(data.buffer));
  }

  /** A random float weight (normal, `std`), or its int8 + scale form followed by DequantizeLinear. */
  weight(name: string, dims: number[], std: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = normalArray(this.weights.rng, count, std);
    if (!this.weights.quantize) return this.init(name, 'float32', dims, new Uint8Array(data.buffer));
    let maxAbs = 1e-8;
    for (const v of data) maxAbs = Math.max(maxAbs, Math.abs(v));
    const scale = maxAbs / 127;
    const q = Int8Array.from(data, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
    const qName = this.init(`${name}_quantized`, 'int8', dims, new Uint8Array(q.buffer));
    const sName = this.init(`${name}_scale`, 'float32', [], new Uint8Array(Float32Array.of(scale).buffer));
    const zName = this.init(`${name}_zero_point`, 'int8', [], Uint8Array.of(0));
    return this.op('DequantizeLinear', [qName, sName, zName]);
  }

  /** A fixed float vector such as a norm weight (ones) or a bias (zeros). */
  fill(dims: number[], value: number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    return this.constFloat(new Float32Array(count).fill(value), dims);
  }

  // ---- small composite helpers ----
  matmul(x: string, w: string): string {
    return this.op('MatMul', [x, w]);
  }
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  unsqueeze(x: string, axes: number[]): string {
    return this.op('Unsqueeze', [x, this.constInt(axes, [axes.length])]);
  }
  /** Scalar int64 dimension `axis` of `x`'s shape. */
  dim(x: string, axis: number): string {
    return this.op('Gather', [this.op('Shape', [x]), this.constInt([axis], [])], { axis: 0 });
  }
  sliceAxis(x: string, axis: number, start: number, end: number): string {
    return this.op('Slice', [x, this.constInt([start], [1]), this.constInt([end], [1]), this.constInt([axis], [1])]);
  }
  rmsNorm(x: string, hidden: number, eps = 1e-5): string {
    const ms = this.op('ReduceMean', [this.mul(x, x)], { axes: [-1], keepdims: 1 });
    const inv = this.op('Reciprocal', [this.op('Sqrt', [this.add(ms, this.constFloat([eps], []))])]);
    return this.mul(this.mul(x, inv), this.fill([hidden], 1));
  }
  silu(x: string): string {
    return this.mul(x, this.op('Sigmoid', [x]));
  }

  /** Serialises the model (IR 8, opset OPSET) to protobuf bytes. */
  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'vlm-classifier-studio/tiny-vlm',
      producerVersion: '1',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.inits,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
