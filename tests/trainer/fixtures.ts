/** Trainer test fixtures: the tiny real-class LFM2-VL base (generated once, cached in the gitignored .cache/) and a jsonl-chat bundle exported by the studio itself. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lfm2VlFiles, type ArchFiles } from '../../tools/tiny-vlm/arch-lfm2-vl';
import { smolVlmFiles } from '../../tools/tiny-vlm/arch-smolvlm';
import { runImport } from '../../src/main/imports/import-runner';
import { runExport } from '../../src/main/exports/export-runner';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { copyPetsSpread } from '../fixtures/real-photos';
import { REPO_ROOT } from '../support/assets';
import { makeTempWorkspace } from '../unit/helpers/temp-workspace';
import { runTrainerOk } from './python';

/** Bump when the fixture's bytes change. */
const BASE_VERSION = 2;
export const FIXTURE_ROOT = join(REPO_ROOT, '.cache', 'trainer-fixtures');

/**
 * A PyTorch LFM2-VL folder built by transformers' own Lfm2VlForConditionalGeneration (tiny widths from
 * tools/tiny-vlm's config, seeded random init) with tiny-vlm's tokenizer/processor files (LFM2 specials, chat template).
 */
export async function ensureTinyBase(seed = 0): Promise<string> {
  return ensureTinyPtBase(`lfm2-vl-tiny-pt-s${seed}-v${BASE_VERSION}`, lfm2VlFiles('tiny'), seed);
}

/** Bump when the SmolVLM fixture's bytes change. */
const SMOL_BASE_VERSION = 1;

/** The same for SmolVLM: transformers' SmolVLMForConditionalGeneration (Llama decoder, SigLIP vision) with tiny-vlm's SmolVLM tokenizer/processor files. */
export async function ensureTinySmolBase(seed = 0): Promise<string> {
  return ensureTinyPtBase(`smolvlm-tiny-pt-s${seed}-v${SMOL_BASE_VERSION}`, smolVlmFiles('smolvlm', 'tiny'), seed);
}

async function ensureTinyPtBase(name: string, spec: ArchFiles, seed: number): Promise<string> {
  const dir = join(FIXTURE_ROOT, name);
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  mkdirSync(FIXTURE_ROOT, { recursive: true });
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const files = join(staging, 'files');
  mkdirSync(files, { recursive: true });
  for (const [file, obj] of Object.entries(spec.json)) writeFileSync(join(files, file), `${JSON.stringify(obj, null, 2)}\n`);
  for (const [file, text] of Object.entries(spec.text)) writeFileSync(join(files, file), text);
  await runTrainerOk(['-m', 'lfm2vl_trainer.fixture', '--files', files, '--out', join(staging, 'model'), '--seed', String(seed)]);
  try {
    renameSync(join(staging, 'model'), dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A short prompt: the fixture's byte-level tokenizer turns the seeds' prompt into ~290 tokens around only 28
 * image tokens, which a 4-layer random model cannot learn to look past within the test's step budget.
 */
export const PETS_SYSTEM = 'Vet.';
export const PETS_USER = 'cat or dog?';

/** Imports perClass cats + perClass dogs (Oxford pets) into a temp workspace, splits them train/val (stratified), snapshots and exports jsonl-chat. */
export async function makePetsBundle(perClass: number, valRatio = 0): Promise<string> {
  const tw = makeTempWorkspace('vcs-trainer-');
  const source = mkdtempSync(join(tmpdir(), 'vcs-trainer-src-'));
  try {
    copyPetsSpread(source, perClass);
    const report = await runImport(tw.ws, { source, format: 'imagefolder', datasetName: 'pets' }, {});
    if (report.imported !== 2 * perClass) throw new Error(`imported ${report.imported} photos, expected ${2 * perClass}`);
    assignSplits(tw.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 1 - valRatio, val: valRatio, test: 0 } });
    const version = createVersion(tw.db, report.datasetId, 'v1');
    const dest = mkdtempSync(join(tmpdir(), 'vcs-trainer-bundle-'));
    rmSync(dest, { recursive: true });
    await runExport(tw.ws, { versionId: version.id, format: 'jsonl-chat', destination: dest, systemPrompt: PETS_SYSTEM, userPrompt: PETS_USER });
    return dest;
  } finally {
    tw.cleanup();
    rmSync(source, { recursive: true, force: true });
  }
}

/**
 * The tiny base as the studio registers it: the trainer's ONNX export (what the eval engine loads) plus the PyTorch
 * model.safetensors the trainer reads, in one folder (cached beside the PyTorch fixture).
 */
export async function ensureTinyRegistrableBase(seed = 0): Promise<string> {
  const dir = join(FIXTURE_ROOT, `lfm2-vl-tiny-onnx-pt-s${seed}-v${BASE_VERSION}`);
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const pt = await ensureTinyBase(seed);
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await runTrainerOk(['export', '--model', pt, '--out', staging]);
  copyFileSync(join(pt, 'model.safetensors'), join(staging, 'model.safetensors'));
  renameSync(staging, dir);
  return dir;
}
