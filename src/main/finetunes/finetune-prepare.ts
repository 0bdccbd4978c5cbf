/**
 * The fine-tune's local stage, the same for every backend: validate the spec, build the sha256-manifested bundle,
 * put the base's PyTorch files (and MobileNetV2 for a mini VLM) and the trainer inputs — prepared with the studio's
 * own processor — INTO it, seal and verify it. The bundle then trains anywhere that has Python.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { prepareTrainerInputs } from '../../../trainer/studio/prepare-inputs';
import type { FinetuneSpec, FinetuneValidation } from '../../shared/finetune-types';
import { getModel } from '../models/model-registry';
import type { Workspace } from '../workspace/workspace';
import { buildBundle, sealBundleFolders, verifyBundle, type BundleManifest } from './finetune-bundle';
import { totalSteps } from './finetune-metrics';
import { BUNDLE_RESUME_DIR } from './finetune-resume';
import { assertFinetuneValid } from './finetune-validate';
import { trainerDir } from './lora-targets';
import { findMobilenet, isMiniVlm, MOBILENET_FILE } from './mini-vlm';

export interface PreparedFinetune {
  bundle: string;
  manifest: BundleManifest;
  validation: FinetuneValidation;
  /** Optimizer steps the trainer will run. */
  total: number;
  mini: boolean;
  /** Remote resume: the shipped checkpoint's path relative to the bundle and its step (null: a fresh run, or local). */
  resume: { rel: string; step: number } | null;
}

/** A hard link when the bundle shares the file system (a multi-GB base is not copied), else a copy; an identical file is left alone. */
function linkOrCopy(src: string, dest: string): void {
  if (existsSync(dest)) {
    const a = statSync(src);
    const b = statSync(dest);
    if (a.ino === b.ino && a.dev === b.dev) return;
    rmSync(dest);
  }
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
  }
}

/** The base folder's top-level files the trainer reads (weights, config, tokenizer, processor); its ONNX sessions stay behind. */
function stageBase(baseDir: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  const wanted = readdirSync(baseDir, { withFileTypes: true }).filter((e) => e.isFile() && !/\.onnx(_data)?$/.test(e.name) && !e.name.endsWith('.partial'));
  for (const e of wanted) linkOrCopy(join(baseDir, e.name), join(dest, e.name));
  for (const stale of readdirSync(dest)) if (!wanted.some((e) => e.name === stale)) rmSync(join(dest, stale), { recursive: true, force: true });
}

/** Builds and verifies <jobDir>/bundle for the spec; `say` reports each step; `stageResume` (SSH, Modal) puts a resumed checkpoint into the bundle before it is sealed. */
export async function prepareFinetune(
  ws: Pick<Workspace, 'db' | 'imagesDir'>,
  spec: FinetuneSpec,
  jobDir: string,
  say: (value: number, message: string) => void,
  stageResume?: (bundle: string) => { rel: string; step: number } | null,
): Promise<PreparedFinetune> {
  const validation = assertFinetuneValid(ws.db, spec);
  const base = getModel(ws.db, spec.baseModelId);
  const mini = isMiniVlm(base.path);
  const bundle = join(jobDir, 'bundle');
  say(0, `building the bundle (${validation.trainSamples} train, ${validation.valSamples} val; LoRA wraps ${validation.wrappedCount} modules${mini ? '; mini VLM' : ''})`);
  const built = await buildBundle(ws, spec, bundle, trainerDir());
  stageBase(base.path, join(bundle, 'base'));
  if (mini) {
    mkdirSync(join(bundle, 'mobilenet'), { recursive: true });
    linkOrCopy(findMobilenet(), join(bundle, 'mobilenet', MOBILENET_FILE));
  }
  say(0.01, 'preparing inputs with the studio processor');
  rmSync(join(bundle, 'inputs'), { recursive: true, force: true });
  await prepareTrainerInputs(base.path, bundle, join(bundle, 'inputs'));
  const resume = stageResume?.(bundle) ?? null;
  if (resume) say(0.03, `shipping checkpoint step ${resume.step} of job ${spec.resumeFrom?.jobId} in the bundle`);
  else rmSync(join(bundle, BUNDLE_RESUME_DIR), { recursive: true, force: true });
  const manifest = await sealBundleFolders(bundle, built, ['base', 'mobilenet', 'inputs', BUNDLE_RESUME_DIR]);
  const check = await verifyBundle(bundle);
  if (!check.ok) throw new Error(`the bundle does not verify: ${check.problems.join('; ')}`);
  return { bundle, manifest, validation, total: totalSteps(manifest.counts.train, spec.hyperparams), mini, resume };
}
