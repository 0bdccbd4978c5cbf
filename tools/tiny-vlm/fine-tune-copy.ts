/** Makes fake fine-tunes of a model folder (copy + perturbed float initializers in chosen sessions), so tests know exactly which sessions changed. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { createRng, subSeed } from './rng';

const { onnx } = onnxProto;

export interface PerturbOptions {
  seed: number;
  /** Largest absolute change added to a weight. */
  scale?: number;
  /** Only initializers whose name passes (default: named weights, not the exporter's `/const_*` scalars). */
  match?: (name: string) => boolean;
}

const isWeightName = (name: string): boolean => !name.startsWith('/');

/** Decodes one .onnx file, lets `edit` change the ModelProto, writes it back (tests that change graph structure only). */
export function editOnnx(file: string, edit: (model: onnxProto.onnx.ModelProto) => void): void {
  const model = onnx.ModelProto.decode(readFileSync(file));
  edit(model);
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
}

/** Moves every inline initializer of `file` into `<file>_data` (the exporters' external-data layout); same bytes, other storage. */
export function moveToExternalData(file: string): void {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  editOnnx(file, (model) => {
    for (const t of model.graph?.initializer ?? []) {
      if (!t.rawData || t.rawData.length === 0) continue;
      const length = t.rawData.length;
      chunks.push(Uint8Array.from(t.rawData));
      t.externalData = [
        { key: 'location', value: `${basename(file)}_data` },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(length) },
      ];
      t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      t.rawData = new Uint8Array(0);
      offset += length;
    }
  });
  writeFileSync(`${file}_data`, Buffer.concat(chunks));
}

/** Adds seeded noise to the inline weights (float32, or int8 `_quantized`) of one .onnx file in place; returns how many it changed. */
export function perturbInitializers(file: string, opts: PerturbOptions): number {
  const model = onnx.ModelProto.decode(readFileSync(file));
  const rng = createRng(subSeed(opts.seed, file));
  const scale = opts.scale ?? 0.05;
  let changed = 0;
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData;
    if (!raw || raw.length === 0) continue;
    const bytes = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    if (t.dataType === onnx.TensorProto.DataType.FLOAT && raw.length >= 4 && (opts.match ?? isWeightName)(t.name ?? '')) {
      const values = new Float32Array(bytes);
      for (let i = 0; i < values.length; i++) values[i] += scale * (2 * rng() - 1);
      t.rawData = new Uint8Array(values.buffer);
    } else if (t.dataType === onnx.TensorProto.DataType.INT8 && t.name?.endsWith('_quantized') && (opts.match ?? isWeightName)(t.name.slice(0, -'_quantized'.length))) {
      // The `_quantized` variant's int8 weight (then DequantizeLinear): a step of up to ±2 quanta.
      const values = new Int8Array(bytes);
      for (let i = 0; i < values.length; i++) values[i] = Math.max(-127, Math.min(127, values[i] + Math.round(4 * rng() - 2)));
      t.rawData = new Uint8Array(values.buffer);
    } else {
      continue;
    }
    changed += 1;
  }
  if (changed === 0) throw new Error(`${file}: no weight initializer matched, nothing perturbed`);
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
  return changed;
}

/**
 * Copies `baseDir` to `outDir` and perturbs every .onnx variant (fp32, q8, …) of the named sessions
 * (e.g. 'decoder_model_merged'); the other sessions stay byte-identical copies.
 */
export function writeFineTuneCopy(baseDir: string, outDir: string, sessions: readonly string[], opts: PerturbOptions): void {
  cpSync(baseDir, outDir, { recursive: true });
  const files = readdirSync(join(outDir, 'onnx')).filter((f) => f.endsWith('.onnx'));
  for (const session of sessions) {
    const variants = files.filter((f) => f === `${session}.onnx` || f.startsWith(`${session}_`));
    if (variants.length === 0) throw new Error(`${baseDir} has no ONNX file for session ${session}`);
    for (const f of variants) perturbInitializers(join(outDir, 'onnx', f), opts);
  }
}
