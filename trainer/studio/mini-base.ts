/** The mini-VLM's starting point: a small seeded LFM2 language model + tokenizer (PyTorch folder) with a one-tile, ≤64-image-token processor, built by the trainer's Python fixture. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lfm2VlFiles } from '../../tools/tiny-vlm/arch-lfm2-vl';

const TRAINER_DIR = resolve(import.meta.dirname, '..');

/** One tile (no splitting) so the stitched encoder sees one whole image; ≤64 image tokens keep prompts short on a CPU. */
export const MINI_PROCESSOR = { do_image_splitting: false, min_image_tokens: 16, max_image_tokens: 64, max_num_patches: 256 };

/** Writes config, tokenizer, chat template and the mini processor settings into `dir`. */
export function writeMiniBaseFiles(dir: string): void {
  const spec = lfm2VlFiles('tiny');
  mkdirSync(dir, { recursive: true });
  const json: Record<string, object> = { ...spec.json, 'preprocessor_config.json': { ...spec.json['preprocessor_config.json'], ...MINI_PROCESSOR } };
  for (const [name, obj] of Object.entries(json)) writeFileSync(join(dir, name), `${JSON.stringify(obj, null, 2)}\n`);
  for (const [name, text] of Object.entries(spec.text)) writeFileSync(join(dir, name), text);
}

/** Builds (once) the seeded PyTorch base in `dir` with `python -m lfm2vl_trainer.fixture`; returns `dir`. */
export function ensureMiniBase(python: string, dir: string, seed = 0): string {
  dir = resolve(dir);
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  writeMiniBaseFiles(join(staging, 'files'));
  const r = spawnSync(python, ['-m', 'lfm2vl_trainer.fixture', '--files', join(staging, 'files'), '--out', join(staging, 'model'), '--seed', String(seed)], {
    cwd: TRAINER_DIR,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '2', HF_HUB_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(`building the mini-VLM base failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  mkdirSync(resolve(dir, '..'), { recursive: true });
  renameSync(join(staging, 'model'), dir);
  rmSync(staging, { recursive: true, force: true });
  return dir;
}
