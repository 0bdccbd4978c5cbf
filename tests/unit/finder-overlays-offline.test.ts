/** The OCR engine works with no network: a child whose main thread and worker threads refuse every socket, DNS lookup and fetch. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { asset, REPO_ROOT } from '../support/assets';
import { runTsx } from '../support/run-tsx';

const tmp = mkdtempSync(join(tmpdir(), 'overlays-offline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('reads the YAHOO! MAIL banner offline; nothing tries the network and no traineddata is written to the cwd', async () => {
  const log = join(tmp, 'net.log');
  const run = await runTsx('tests/fixtures/overlays-offline-child.ts', [asset('datasets/cats-vs-dogs-kaggle/bad-samples/dog.4367.jpg')], {
    NODE_OPTIONS: `--require ${join(REPO_ROOT, 'tests/fixtures/no-network.cjs')}`,
    NO_NET_LOG: log,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
  });
  expect(run.code, run.err).toBe(0);
  const out = JSON.parse(run.out.trim().split('\n').at(-1)!) as { reason: string; probe: string };
  expect(out.reason).toMatch(/^text: YAHOO! MAIL/);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  // The guard was live in the main thread and in the OCR worker threads (2) plus the probe worker…
  expect(lines.filter((l) => l === 'loaded worker').length).toBeGreaterThanOrEqual(3);
  expect(lines).toContain('loaded main');
  // …and the only network attempt is the control probe, which it refused.
  expect(out.probe).toMatch(/^refused: network access refused/);
  expect(lines.filter((l) => l.startsWith('network '))).toEqual(['network worker fetch http://127.0.0.1:9/probe']);
  expect(() => readFileSync(join(REPO_ROOT, 'eng.traineddata'))).toThrow();
});
