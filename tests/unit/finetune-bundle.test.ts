/** The fine-tune bundle: train/val chat JSONL over content-addressed images, YAML and trainer files under a sha256 manifest; idempotent, and verifyBundle catches a flipped byte. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finetuneSpecSchema, type FinetuneSpec } from '../../src/shared/finetune-types';
import { buildBundle, verifyBundle, BUNDLE_MANIFEST, type BundleTarget } from '../../src/main/finetunes/finetune-bundle';
import { parseFinetuneYaml } from '../../src/main/finetunes/finetune-yaml';
import { trainerDir } from '../../src/main/finetunes/lora-targets';
import { runImport } from '../../src/main/imports/import-runner';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { copyPetsSpread } from '../fixtures/real-photos';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

describe('fine-tune bundle', () => {
  let tw: TempWorkspace;
  let spec: FinetuneSpec;
  let dir: string;
  beforeAll(async () => {
    tw = makeTempWorkspace('vcs-bundle-');
    const src = mkdtempSync(join(tmpdir(), 'vcs-bundle-src-'));
    copyPetsSpread(src, 4);
    const report = await runImport(tw.ws, { source: src, format: 'imagefolder', datasetName: 'pets' }, {});
    rmSync(src, { recursive: true, force: true });
    assignSplits(tw.db, { datasetId: report.datasetId, seed: 3, ratios: { train: 0.5, val: 0.25, test: 0.25 } });
    const version = createVersion(tw.db, report.datasetId, 'v1');
    spec = finetuneSpecSchema.parse({ baseModelId: 1, versionId: version.id, systemPrompt: 'Vet.', userPrompt: 'Which?\n{{labels}}', hyperparams: { lora_r: 4 } });
    dir = mkdtempSync(join(tmpdir(), 'vcs-bundle-out-'));
  });
  afterAll(() => tw.cleanup());

  it('holds train and val (never test) as chat JSONL over images/<sha256>.<ext>, the YAML and the trainer, all in the manifest', async () => {
    const m = await buildBundle(tw.ws, spec, dir, trainerDir());
    expect(m.counts).toEqual({ train: 4, val: 2 });
    expect(Object.keys(m.images)).toHaveLength(6);
    const line = JSON.parse(readFileSync(join(dir, 'train.jsonl'), 'utf8').split('\n')[0]) as { image: string; messages: { content: { text?: string }[] }[] };
    expect(line.image).toMatch(/^images\/[0-9a-f]{64}\.jpg$/);
    expect(line.messages[1].content[1].text).toBe('Which?\n- cat\n- dog');
    expect(parseFinetuneYaml(readFileSync(join(dir, 'finetune.yaml'), 'utf8')).hyperparams.lora_r).toBe(4);
    expect(Object.keys(m.files)).toEqual(expect.arrayContaining(['train.jsonl', 'val.jsonl', 'finetune.yaml', 'trainer/lfm2vl_trainer/train.py', 'trainer/lfm2vl_trainer/lora_aliases.json', 'trainer/requirements.txt']));
    expect(Object.keys(m.files)).not.toContain('test.jsonl');
    expect(await verifyBundle(dir)).toEqual({ ok: true, problems: [] });
  });

  it('rebuilding is idempotent: the same manifest, no file rewritten; only the images the target lacks are sent', async () => {
    const manifest = readFileSync(join(dir, BUNDLE_MANIFEST), 'utf8');
    const mtime = statSync(join(dir, 'train.jsonl')).mtimeMs;
    const asked: string[][] = [];
    const target: BundleTarget = { need: async (hashes) => (asked.push([...hashes]), []) };
    await buildBundle(tw.ws, spec, dir, trainerDir(), target);
    expect(readFileSync(join(dir, BUNDLE_MANIFEST), 'utf8')).toBe(manifest);
    expect(statSync(join(dir, 'train.jsonl')).mtimeMs).toBe(mtime);
    expect(asked[0]).toHaveLength(6);
  });

  it('verifyBundle catches one flipped byte in an image, a missing file and a stray one', async () => {
    const m = JSON.parse(readFileSync(join(dir, BUNDLE_MANIFEST), 'utf8')) as { images: Record<string, string> };
    const [hash, ext] = Object.entries(m.images)[0];
    const img = join(dir, 'images', `${hash}.${ext}`);
    const bytes = readFileSync(img);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(img, bytes);
    rmSync(join(dir, 'val.jsonl'));
    writeFileSync(join(dir, 'extra.txt'), 'x');
    expect(await verifyBundle(dir)).toEqual({
      ok: false,
      problems: [`val.jsonl is missing`, `images/${hash}.${ext} does not match its sha256`, 'extra.txt is not in the manifest'],
    });
    await buildBundle(tw.ws, spec, dir, trainerDir());
    rmSync(join(dir, 'extra.txt'));
    expect((await verifyBundle(dir)).ok).toBe(true);
  });

  it('refuses a label list that lacks a label the snapshot trains on', async () => {
    await expect(buildBundle(tw.ws, { ...spec, labels: ['cat', 'bird'] }, mkdtempSync(join(tmpdir(), 'vcs-b-')), trainerDir())).rejects.toThrow('labelled "dog"');
  });
});
