/**
 * Creates a mini-VLM base model (trainer/README.md "Mini-VLM"): a seeded small LFM2 language model (the trainer's
 * fixture), exported untrained with the bundled MobileNetV2 stitched in as the frozen vision encoder, its PyTorch
 * weights kept beside the ONNX sessions so it can be fine-tuned, and registered. Long (Python export): progress + cancel.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMiniBaseFiles } from '../../../trainer/studio/mini-base';
import type { RegisteredModel } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { conflict, StudioError } from '../errors';
import { findModelByName, registerModel } from '../models/model-registry';
import { modelStoreDir } from '../workspace/workspace';
import { runPython, trainerPython } from './finetune-python';
import { verifyRunExport } from './finetune-register';
import { trainerDir } from './lora-targets';
import { findMobilenet } from './mini-vlm';

export interface CreateMiniVlmOptions {
  onProgress?(value: number, message: string): void;
  signal?: AbortSignal;
  /** Seed of the small LM's random init. */
  seed?: number;
}

/** Builds and registers the mini VLM `name` under <workspace>/models/mini-vlm/; nothing is left behind when it fails or is cancelled. */
export async function createMiniVlm(ws: { db: Db; root: string }, name: string, opts: CreateMiniVlmOptions = {}): Promise<RegisteredModel> {
  const say = opts.onProgress ?? (() => undefined);
  const clean = name.trim();
  if (!clean) throw new StudioError('invalid-args', 'The model name is empty');
  if (findModelByName(ws.db, clean)) throw conflict(`A model named "${clean}" is already registered; pick another name`);
  const mobilenet = findMobilenet();
  const slug = clean.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'mini-vlm';
  const root = join(modelStoreDir(ws), 'mini-vlm');
  let dest = join(root, slug);
  for (let i = 2; existsSync(dest); i++) dest = join(root, `${slug}-${i}`);
  const staging = `${dest}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    say(0.02, 'preparing the Python trainer environment');
    const python = await trainerPython();
    say(0.1, 'building the small language model (seeded LFM2, hidden 64, 4 layers)');
    writeMiniBaseFiles(join(staging, 'files'));
    await runPython(python, ['-m', 'lfm2vl_trainer.fixture', '--files', join(staging, 'files'), '--out', join(staging, 'base'), '--seed', String(opts.seed ?? 0)], trainerDir(), opts.signal);
    // No samples: the untrained export needs only the base, MobileNetV2 and an empty input manifest.
    mkdirSync(join(staging, 'inputs'), { recursive: true });
    writeFileSync(join(staging, 'inputs', 'manifest.json'), JSON.stringify({ model_dir: join(staging, 'base'), end_of_turn_id: 0, eos_ids: [], labels: [], label_token_ids: [], samples: [] }));
    say(0.35, 'exporting ONNX: MobileNetV2 + projector vision encoder, embeddings, decoder');
    const args = ['-m', 'lfm2vl_trainer', 'mini', '--base', join(staging, 'base'), '--mobilenet', mobilenet, '--inputs', join(staging, 'inputs'), '--out', join(staging, 'run'), '--untrained'];
    await runPython(python, args, trainerDir(), opts.signal, (line) => {
      if (/features|LoRA wraps|exported/.test(line)) say(0.6, line.replace(/^\S+ /, '').slice(0, 200));
    });
    await verifyRunExport(join(staging, 'run'));
    // The LM's PyTorch weights beside the ONNX sessions: what makes the folder a base the mini trainer can fine-tune.
    copyFileSync(join(staging, 'base', 'model.safetensors'), join(staging, 'run', 'export', 'model.safetensors'));
    if (opts.signal?.aborted) throw new Error('cancelled');
    say(0.95, 'registering');
    mkdirSync(root, { recursive: true });
    renameSync(join(staging, 'run', 'export'), dest);
    try {
      return await registerModel(ws.db, dest, { name: clean });
    } catch (err) {
      rmSync(dest, { recursive: true, force: true });
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
