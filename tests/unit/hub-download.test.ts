/** Hub downloads against a local fake Hub: only the chosen dtype's files, verified, recorded, and clear errors. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFromHub } from '../../src/main/models/hub-download';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import { partialFolderPath, storeFolderPath } from '../../src/main/models/model-store-paths';
import type { StudioModelRecord } from '../../src/shared/model-types';
import { startFakeHub, type FakeHub } from '../support/fake-hub-server';
import { writeTinyLfmRepo } from '../support/fake-model-folder';

const REPO = 'acme/tiny-vlm';
const root = mkdtempSync(join(tmpdir(), 'studio-hub-'));
const repoDir = join(root, 'repo');
let hub: FakeHub;
let store: string;
let storeN = 0;

const Q4_FILES = [
  'README.md',
  'config.json',
  'generation_config.json',
  'onnx/decoder_model_merged_q4.onnx',
  'onnx/decoder_model_merged_q4.onnx_data',
  'onnx/embed_tokens_q4.onnx',
  'onnx/vision_encoder_q4.onnx',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

beforeAll(() => {
  mkdirSync(repoDir);
  writeTinyLfmRepo(repoDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => hub?.close());
const newStore = (): string => {
  store = join(root, `store${storeN++}`);
  return store;
};
const sha256 = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

describe('downloadFromHub', () => {
  it('downloads only the chosen dtype, verified, with provenance, and the folder inspects as supported', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir, pageSize: 4 });
    const progress: number[] = [];
    const result = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: newStore(), onProgress: (v) => progress.push(v) });

    expect(result.dir).toBe(storeFolderPath(store, REPO, 'main'));
    expect(result.dir.endsWith('acme--tiny-vlm--main')).toBe(true);
    expect([...result.files].sort()).toEqual(Q4_FILES);
    for (const f of Q4_FILES) expect(readFileSync(join(result.dir, f)).equals(readFileSync(join(repoDir, f)))).toBe(true);
    expect(result.bytes).toBe(Q4_FILES.reduce((s, f) => s + readFileSync(join(repoDir, f)).length, 0));
    expect(existsSync(join(result.dir, 'onnx', 'decoder_model_merged.onnx'))).toBe(false);
    expect(existsSync(join(result.dir, 'notes.txt'))).toBe(false);
    expect(existsSync(partialFolderPath(store, REPO, 'main'))).toBe(false);

    const record = JSON.parse(readFileSync(join(result.dir, 'studio-model.json'), 'utf8')) as StudioModelRecord;
    expect(record).toMatchObject({ repoId: REPO, revision: 'main', dtype: 'q4', dtypes: ['q4'], commit: hub.commit, endpoint: hub.endpoint });
    expect(Number.isNaN(Date.parse(record.downloadedAt))).toBe(false);
    expect(record.files.map((f) => [f.path, f.size, f.sha256])).toEqual(
      Q4_FILES.map((f) => [f, readFileSync(join(repoDir, f)).length, sha256(readFileSync(join(repoDir, f)))]),
    );

    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1])).toBe(true);
    // The tree API was paged, and LFS files came through the 302 to /cdn/ like on the real Hub.
    expect(hub.requests.filter((r) => r.url.includes('/tree/main')).length).toBeGreaterThan(1);
    expect(hub.requests.some((r) => r.url.endsWith('/resolve/main/onnx/embed_tokens_q4.onnx') && r.status === 302)).toBe(true);

    const inspection = await inspectModelFolder(result.dir);
    expect(inspection).toMatchObject({ kind: 'vlm', supported: true, dtypes: ['q4'], problems: [] });
    expect(inspection.provenance).toEqual({ source: 'hub', repoId: REPO, revision: 'main', commit: hub.commit, baseModel: 'LiquidAI/LFM2-VL-450M' });
  });

  it('adds a second dtype to the same folder without fetching the shared files again', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir });
    newStore();
    await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store });
    const { dir } = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'fp32', destRoot: store });
    expect((await inspectModelFolder(dir)).dtypes).toEqual(['fp32', 'q4']);
    expect(hub.requests.filter((r) => r.url.endsWith('/resolve/main/config.json'))).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(dir, 'studio-model.json'), 'utf8')) as StudioModelRecord;
    expect(record.dtypes).toEqual(['fp32', 'q4']);
    expect(record.files.map((f) => f.path)).toContain('onnx/embed_tokens_q4.onnx');
  });

  it('reads the endpoint from HF_ENDPOINT when none is given', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir });
    const before = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = `${hub.endpoint}/`;
    try {
      const r = await downloadFromHub({ repoId: REPO, dtype: 'fp16', destRoot: newStore() });
      expect((await inspectModelFolder(r.dir)).dtypes).toEqual(['fp16']);
    } finally {
      if (before === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = before;
    }
  });

  it('fails on a corrupted LFS file, deletes the partial file and leaves no model folder', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir });
    hub.corrupt('onnx/vision_encoder_q4.onnx', 10);
    const want = sha256(readFileSync(join(repoDir, 'onnx', 'vision_encoder_q4.onnx')));
    await expect(downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: newStore() })).rejects.toThrow(
      new RegExp(`^onnx/vision_encoder_q4\\.onnx is corrupt: sha256 [0-9a-f]{64} doesn't match the Hub's ${want}; the partial file was deleted, run the download again$`),
    );
    expect(existsSync(storeFolderPath(store, REPO, 'main'))).toBe(false);
    expect(existsSync(join(partialFolderPath(store, REPO, 'main'), 'onnx', 'vision_encoder_q4.onnx.part'))).toBe(false);
  });

  it('checks non-LFS files against their git blob id', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir });
    hub.corrupt('tokenizer_config.json', 3);
    await expect(downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: newStore() })).rejects.toThrow(
      /^tokenizer_config\.json is corrupt: git blob id [0-9a-f]{40} doesn't match the Hub's [0-9a-f]{40}/,
    );
    expect(existsSync(storeFolderPath(store, REPO, 'main'))).toBe(false);
  });

  it('asks for a token on a gated repo (401) and sends it as a bearer token', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir, token: 'hf_secret' });
    await expect(downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: newStore() })).rejects.toThrow(
      'Hugging Face Hub refused access to acme/tiny-vlm (HTTP 401): the repo is gated or private — add a Hugging Face access token (huggingface.co/settings/tokens) and accept the model\'s terms on its Hub page',
    );
    await expect(downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store, token: 'wrong' })).rejects.toThrow(
      /\(HTTP 401\): the repo is gated or private — the token was refused/,
    );
    const ok = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store, token: 'hf_secret' });
    expect([...ok.files].sort()).toEqual(Q4_FILES);
    expect(hub.requests.at(-1)?.authorization).toBe('Bearer hf_secret');
  });

  it('explains a missing repo, revision or dtype (404)', async () => {
    hub = await startFakeHub({ repoId: REPO, dir: repoDir });
    const base = { endpoint: hub.endpoint, destRoot: newStore() };
    await expect(downloadFromHub({ ...base, repoId: 'acme/missing', dtype: 'q4' })).rejects.toThrow(
      'Model acme/missing not found on the Hub (HTTP 404): check the id, or add a token if it is private',
    );
    await expect(downloadFromHub({ ...base, repoId: REPO, revision: 'v9', dtype: 'q4' })).rejects.toThrow(
      'Revision "v9" not found in acme/tiny-vlm (HTTP 404): check the branch, tag or commit',
    );
    await expect(downloadFromHub({ ...base, repoId: REPO, dtype: 'q4f16' })).rejects.toThrow(
      'acme/tiny-vlm has no q4f16 ONNX export (onnx/embed_tokens_q4f16.onnx, onnx/vision_encoder_q4f16.onnx missing); available: fp32, fp16, q4',
    );
  });

  it('says the Hub is unreachable when nothing answers, and rejects bad input before any request', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(downloadFromHub({ endpoint: `http://127.0.0.1:${port}`, repoId: REPO, dtype: 'q4', destRoot: newStore() })).rejects.toThrow(
      /^Hugging Face Hub unreachable: .*ECONNREFUSED.*; download on another machine and import the folder instead$/,
    );
    await expect(downloadFromHub({ repoId: 'not a repo', dtype: 'q4', destRoot: store })).rejects.toThrow(
      '"not a repo" is not a Hugging Face model id: use owner/name, e.g. LiquidAI/LFM2-VL-450M',
    );
    await expect(downloadFromHub({ repoId: REPO, dtype: 'q3' as 'q4', destRoot: store })).rejects.toThrow(
      '"q3" is not a dtype: use one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4',
    );
  });
});
