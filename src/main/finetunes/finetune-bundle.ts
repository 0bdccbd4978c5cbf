/**
 * The fine-tune bundle: everything a backend needs to train, in one folder with a manifest of sha256s — the
 * snapshot's chat JSONL (train/val), its images by content hash (only those the target lacks), the YAML and the
 * trainer's files. Building is idempotent (unchanged files are not rewritten) and verifyBundle rechecks every hash.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { FinetuneSpec } from '../../shared/finetune-types';
import { renderPrompt } from '../../shared/prompt-template';
import { StudioError } from '../errors';
import { chatLine } from '../exports/export-runner';
import { readVersionForExport, type ExportSample } from '../exports/version-rows';
import { readStoreFile } from '../images/store-file';
import { imagePath, type Workspace } from '../workspace/workspace';
import { exportFinetuneYaml } from './finetune-yaml';

export const BUNDLE_MANIFEST = 'bundle-manifest.json';
export const BUNDLE_CONFIG = 'finetune.yaml';
export const BUNDLE_SPLITS = ['train', 'val'] as const;

export interface BundleManifest {
  format: 'studio-finetune-bundle';
  version: 1;
  versionId: number;
  labels: string[];
  counts: { train: number; val: number };
  /** Image content hashes the bundle's JSONL names, each at images/<hash>.<ext> on the target. */
  images: Record<string, string>;
  /** Every other file (relative path with "/") → sha256. */
  files: Record<string, string>;
}

/** The target answers which image hashes it does not hold yet (local: the bundle folder; SSH: the remote cache). */
export interface BundleTarget {
  need(hashes: readonly string[]): Promise<string[]>;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Writes bytes unless the file already holds them (tmp + rename): rebuilding changes nothing that is already right. */
async function put(path: string, bytes: Uint8Array | string, hash = sha256(bytes)): Promise<string> {
  if (existsSync(path) && sha256(await readFile(path)) === hash) return hash;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
  return hash;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__pycache__') out.push(...(await listFiles(root, p)));
    } else if (e.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
  return out.sort();
}

/** A local target: the bundle's own images/ folder, each file checked against its hash. */
export function localBundleTarget(bundleDir: string, ext: (hash: string) => string): BundleTarget {
  return {
    async need(hashes) {
      const missing: string[] = [];
      for (const h of hashes) {
        const p = join(bundleDir, 'images', `${h}.${ext(h)}`);
        if (!existsSync(p) || sha256(await readFile(p)) !== h) missing.push(h);
      }
      return missing;
    },
  };
}

/** The labels {{labels}} lists: the spec's order, else the snapshot's classes; every training answer must be one of them. */
function labelsFor(spec: FinetuneSpec, classes: string[], samples: ExportSample[]): string[] {
  const labels = spec.labels ?? classes;
  const stray = [...new Set(samples.map((s) => s.label))].filter((l) => !labels.includes(l));
  if (stray.length > 0) throw new StudioError('invalid-args', `the snapshot has samples labelled ${stray.map((l) => `"${l}"`).join(', ')}, which the label list (${labels.join(', ')}) lacks`);
  return labels;
}

/** Builds (or brings up to date) the bundle for `spec` in `dir`; trainerDir is the trainer folder whose files travel with it. */
export async function buildBundle(ws: Pick<Workspace, 'db' | 'imagesDir'>, spec: FinetuneSpec, dir: string, trainerDir: string, target?: BundleTarget): Promise<BundleManifest> {
  const version = readVersionForExport(ws.db, spec.versionId);
  const samples = version.samples.filter((s) => s.split === 'train' || s.split === 'val');
  const train = samples.filter((s) => s.split === 'train');
  if (train.length === 0) throw new StudioError('invalid-args', `snapshot "${version.name}" has no train samples; assign splits before fine-tuning`);
  const labels = labelsFor(spec, version.classes, samples);
  const system = renderPrompt(spec.systemPrompt, labels);
  const user = renderPrompt(spec.userPrompt, labels);
  const images: Record<string, string> = {};
  for (const s of samples) images[s.hash] = s.ext;
  const files: Record<string, string> = {};
  await mkdir(dir, { recursive: true });
  const missing = await (target ?? localBundleTarget(dir, (h) => images[h])).need(Object.keys(images).sort());
  for (const hash of missing) await put(join(dir, 'images', `${hash}.${images[hash]}`), await readStoreFile(imagePath(ws, hash, images[hash]), hash), hash);
  for (const split of BUNDLE_SPLITS) {
    const lines = samples.filter((s) => s.split === split).map((s) => chatLine(`images/${s.hash}.${s.ext}`, s.label, system, user));
    if (lines.length > 0) files[`${split}.jsonl`] = await put(join(dir, `${split}.jsonl`), `${lines.join('\n')}\n`);
  }
  const yaml = exportFinetuneYaml({ modelName: null, labels, systemPrompt: spec.systemPrompt, userPrompt: spec.userPrompt, hyperparams: spec.hyperparams });
  files[BUNDLE_CONFIG] = await put(join(dir, BUNDLE_CONFIG), yaml);
  for (const rel of (await listFiles(trainerDir)).filter((f) => f.startsWith('lfm2vl_trainer/') || f === 'requirements.txt')) {
    files[`trainer/${rel}`] = await put(join(dir, 'trainer', rel), await readFile(join(trainerDir, rel)));
  }
  const manifest: BundleManifest = {
    format: 'studio-finetune-bundle',
    version: 1,
    versionId: version.id,
    labels,
    counts: { train: train.length, val: samples.length - train.length },
    images,
    files,
  };
  await put(join(dir, BUNDLE_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

export interface BundleCheck {
  ok: boolean;
  problems: string[];
}

/** Rechecks every file and image of a bundle against its manifest (a flipped byte, a missing or an extra file). */
export async function verifyBundle(dir: string): Promise<BundleCheck> {
  const manifest = JSON.parse(await readFile(join(dir, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
  const expected = new Map(Object.entries(manifest.files));
  for (const [hash, ext] of Object.entries(manifest.images)) expected.set(`images/${hash}.${ext}`, hash);
  const problems: string[] = [];
  const present = new Set(await listFiles(dir));
  for (const [rel, hash] of expected) {
    if (!present.has(rel)) problems.push(`${rel} is missing`);
    else if (sha256(await readFile(join(dir, rel))) !== hash) problems.push(`${rel} does not match its sha256`);
  }
  for (const rel of present) if (rel !== BUNDLE_MANIFEST && !expected.has(rel)) problems.push(`${rel} is not in the manifest`);
  return { ok: problems.length === 0, problems };
}

/** Adds every file under the bundle's `folders` (e.g. base/, inputs/) to the manifest with its sha256 and rewrites it, so verifyBundle covers them too. */
export async function sealBundleFolders(dir: string, manifest: BundleManifest, folders: readonly string[]): Promise<BundleManifest> {
  const files = Object.fromEntries(Object.entries(manifest.files).filter(([rel]) => !folders.some((f) => rel.startsWith(`${f}/`))));
  for (const folder of folders) {
    if (!existsSync(join(dir, folder))) continue;
    for (const rel of await listFiles(join(dir, folder))) files[`${folder}/${rel}`] = sha256(await readFile(join(dir, folder, rel)));
  }
  const sealed: BundleManifest = { ...manifest, files };
  await put(join(dir, BUNDLE_MANIFEST), `${JSON.stringify(sealed, null, 1)}\n`);
  return sealed;
}
