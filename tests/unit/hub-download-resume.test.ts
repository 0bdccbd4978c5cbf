/** Hub download resume: a dropped connection or a cancel keeps the .part file and the next run continues with Range. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { downloadFromHub } from '../../src/main/models/hub-download';
import { partialFolderPath, storeFolderPath } from '../../src/main/models/model-store-paths';
import { startFakeHub, type FakeHub } from '../support/fake-hub-server';
import { writeTinyLfmRepo } from '../support/fake-model-folder';

const REPO = 'acme/tiny-vlm';
const DECODER = 'onnx/decoder_model_merged_q4.onnx';
const ONNX_BYTES = 300_000;
const root = mkdtempSync(join(tmpdir(), 'studio-resume-'));
const repoDir = join(root, 'repo');
let hub: FakeHub;
let n = 0;

beforeAll(() => {
  mkdirSync(repoDir);
  writeTinyLfmRepo(repoDir, ONNX_BYTES);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => hub?.close());

/** Waits (no deadline but the test's own) until the downloader has written `bytes` bytes of the partial file. */
async function partReaches(path: string, bytes: number): Promise<void> {
  while (!existsSync(path) || statSync(path).size < bytes) await new Promise((r) => setTimeout(r, 5));
}

function setup(): { store: string; part: string; cdnRequests: () => { range?: string; status?: number }[] } {
  const store = join(root, `store${n++}`);
  const sha = hub.files.get(DECODER)!.sha256;
  return {
    store,
    part: join(partialFolderPath(store, REPO, 'main'), `${DECODER}.part`),
    cdnRequests: () => hub.requests.filter((r) => r.url === `/cdn/${sha}`),
  };
}

it('resumes with a Range request after the connection drops, and the file is byte-identical', async () => {
  hub = await startFakeHub({ repoId: REPO, dir: repoDir });
  const { store, part, cdnRequests } = setup();
  const cut = hub.interruptOnce(DECODER, 50_000, { hold: true });
  const first = downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store });
  await cut.sent;
  await partReaches(part, 50_000);
  cut.drop();
  const size = hub.files.get(DECODER)!.content.length;
  await expect(first).rejects.toThrow(
    new RegExp(`^Download of onnx/decoder_model_merged_q4\\.onnx was interrupted after 50000 of ${size} bytes \\(.+\\): run the download again to resume$`),
  );
  expect(statSync(part).size).toBe(50_000);
  expect(existsSync(storeFolderPath(store, REPO, 'main'))).toBe(false);

  const progress: number[] = [];
  const { dir } = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store, onProgress: (v) => progress.push(v) });
  expect(cdnRequests().map((r) => [r.range, r.status])).toEqual([
    [undefined, 200],
    ['bytes=50000-', 206],
  ]);
  expect(readFileSync(join(dir, DECODER)).equals(readFileSync(join(repoDir, DECODER)))).toBe(true);
  // Files finished before the drop were not fetched again.
  expect(hub.requests.filter((r) => r.url.endsWith('/resolve/main/onnx/embed_tokens_q4.onnx'))).toHaveLength(1);
  expect(progress.at(-1)).toBe(1);
  expect(existsSync(part)).toBe(false);
});

it('keeps the partial file on cancel and resumes it on the next run', async () => {
  hub = await startFakeHub({ repoId: REPO, dir: repoDir });
  const { store, part, cdnRequests } = setup();
  const cut = hub.interruptOnce(DECODER, 120_000, { hold: true });
  const controller = new AbortController();
  const first = downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store, signal: controller.signal });
  await cut.sent;
  await partReaches(part, 120_000);
  controller.abort();
  await expect(first).rejects.toMatchObject({ name: 'AbortError' });
  expect(statSync(part).size).toBe(120_000);
  expect(existsSync(storeFolderPath(store, REPO, 'main'))).toBe(false);

  const progress: number[] = [];
  const { dir } = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store, onProgress: (v) => progress.push(v) });
  expect(cdnRequests().at(-1)).toMatchObject({ range: 'bytes=120000-', status: 206 });
  expect(readFileSync(join(dir, DECODER)).equals(readFileSync(join(repoDir, DECODER)))).toBe(true);
  expect(progress.at(-1)).toBe(1);
  expect(progress.every((v) => v >= 0 && v <= 1)).toBe(true);
});

it('starts the file over when the server ignores Range and answers 200', async () => {
  hub = await startFakeHub({ repoId: REPO, dir: repoDir });
  const { store, part, cdnRequests } = setup();
  const cut = hub.interruptOnce(DECODER, 70_000, { hold: true });
  const first = downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store });
  await cut.sent;
  await partReaches(part, 70_000);
  cut.drop();
  await expect(first).rejects.toThrow(/interrupted after 70000 of/);

  hub.ignoreRange = true;
  const { dir } = await downloadFromHub({ endpoint: hub.endpoint, repoId: REPO, dtype: 'q4', destRoot: store });
  expect(cdnRequests().at(-1)).toMatchObject({ range: 'bytes=70000-', status: 200 });
  expect(readFileSync(join(dir, DECODER)).equals(readFileSync(join(repoDir, DECODER)))).toBe(true);
});
