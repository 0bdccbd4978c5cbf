/** Makes fake fine-tunes of a model folder (copy + perturbed float initializers in chosen sessions), so tests know exactly which sessions changed. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { createRng, subSeed } from './rng';

const { onnx } = onnxProto;

export interface PerturbOptions {
  seed: number;
  /** Largest absolute change added to a weight. */
  scale?: number;
  /** Only initializers whose name passes (default: every float initializer). */
  match?: (name: string) => boolean;
}

/** Adds seeded noise to the inline float32 initializers of one .onnx file in place; returns how many it changed. */
export function perturbInitializers(file: string, opts: PerturbOptions): number {
  const model = onnx.ModelProto.decode(readFileSync(file));
  const rng = createRng(subSeed(opts.seed, file));
  const scale = opts.scale ?? 0.05;
  let changed = 0;
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataType !== onnx.TensorProto.DataType.FLOAT || !t.rawData || t.rawData.length < 4) continue;
    if (opts.match && !opts.match(t.name ?? '')) continue;
    const raw = t.rawData;
    const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    for (let i = 0; i < values.length; i++) values[i] += scale * (2 * rng() - 1);
    t.rawData = new Uint8Array(values.buffer);
    changed += 1;
  }
  if (changed === 0) throw new Error(`${file}: no float initializer matched, nothing perturbed`);
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
