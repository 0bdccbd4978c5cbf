/** Mini-VLM fine-tune fixtures: the mini-VLM base made by the studio's own create function (cached in .cache/), and a workspace of real pets photos with it registered. */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMiniVlm } from '../../src/main/finetunes/mini-vlm-create';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { copyPetsSpread } from '../fixtures/real-photos';
import { FIXTURE_ROOT } from './fixtures';

/** Bump when createMiniVlm's output changes. */
const MINI_VERSION = 1;

/** An untrained mini VLM (config.json's mini_vlm block, ONNX sessions + the LM's model.safetensors), built once by createMiniVlm. */
export async function ensureMiniVlmBase(): Promise<string> {
  const dir = join(FIXTURE_ROOT, `mini-vlm-base-v${MINI_VERSION}`);
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  const root = mkdtempSync(join(tmpdir(), 'vcs-mini-create-'));
  const ws = openWorkspace(root);
  try {
    const model = await createMiniVlm(ws, 'mini');
    mkdirSync(FIXTURE_ROOT, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(model.path, dir);
  } finally {
    ws.close();
    rmSync(root, { recursive: true, force: true });
  }
  return dir;
}

/** A workspace with perClass cats + perClass dogs split train/val, snapshot v1 (id 1), and the mini VLM registered as "mini" (id 1). */
export async function makeMiniWorkspace(base: string, perClass = 4): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'vcs-mini-ws-'));
  const src = mkdtempSync(join(tmpdir(), 'vcs-mini-src-'));
  const ws = openWorkspace(root);
  try {
    copyPetsSpread(src, perClass);
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' }, {});
    assignSplits(ws.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.75, val: 0.25, test: 0 } });
    createVersion(ws.db, report.datasetId, 'v1');
    await registerModel(ws.db, base, { name: 'mini' });
  } finally {
    ws.close();
    rmSync(src, { recursive: true, force: true });
  }
  return root;
}

/** The prompt the mini VLM trains with. */
export const MINI_SYSTEM = 'Vet.';
export const MINI_USER = 'cat or dog?';
