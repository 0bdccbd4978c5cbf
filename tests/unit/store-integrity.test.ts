/**
 * Store files are not trusted: an original replaced by a symlink (to /etc/passwd) or by other bytes
 * is neither served (browser host media route) nor exported, and verifyStore reports it.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import type { Handlers } from '../../src/main/api/handler-types';
import { runExport } from '../../src/main/exports/export-runner';
import { hashFile } from '../../src/main/images/file-hash';
import { verifyStore } from '../../src/main/images/store-verify';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host';
import { runImport } from '../../src/main/imports/import-runner';
import { createVersion } from '../../src/main/versions/snapshot';
import { imagePath, thumbPath, type Workspace } from '../../src/main/workspace/workspace';
import { copyPets, onePetPhoto } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

let ws: Workspace;
let host: BrowserHost;
let datasetId: number;
const ids: Record<'good' | 'linked' | 'altered', number> = { good: 0, linked: 0, altered: 0 };
const hashes: Record<'good' | 'linked' | 'altered', string> = { good: '', linked: '', altered: '' };
let versionId: number;
let src: string;

function get(path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { cookie: `studio_token_${host.port}=${host.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  src = makeTempDir('vcs-src-');
  const [good, linked, altered] = copyPets('cats', 3, join(src, 'cat'));
  ws = tempWorkspace();
  const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'store' });
  datasetId = report.datasetId;
  versionId = createVersion(ws.db, datasetId, 'v1').id;
  for (const [key, path] of [['good', good], ['linked', linked], ['altered', altered]] as const) {
    hashes[key] = await hashFile(path);
    ids[key] = (ws.db.prepare('SELECT id FROM samples WHERE image_hash = ?').get(hashes[key]) as { id: number }).id;
  }
  // The faults: an original and a thumbnail replaced by symlinks out of the store, an original replaced by another real photo.
  rmSync(imagePath(ws, hashes.linked, 'jpg'));
  symlinkSync('/etc/passwd', imagePath(ws, hashes.linked, 'jpg'));
  rmSync(thumbPath(ws, hashes.linked));
  symlinkSync('/etc/passwd', thumbPath(ws, hashes.linked));
  copyFileSync(onePetPhoto('dogs'), imagePath(ws, hashes.altered, 'jpg'));
  const rendererDir = makeTempDir('vcs-renderer-');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  host = await startBrowserHost({ workspace: ws, handlers: {} as Handlers, bus: new StudioEventBus(), rendererDir, port: 0 });
});

afterAll(async () => {
  await host?.close();
  cleanupTempDirs();
});

describe('store integrity', () => {
  it('the media route serves the intact original and refuses the symlinked and the altered one', async () => {
    const ok = await get(`/media/image/${ids.good}`);
    expect(ok.status).toBe(200);
    expect(ok.body.equals(readFileSync(imagePath(ws, hashes.good, 'jpg')))).toBe(true);
    const passwd = readFileSync('/etc/passwd');
    for (const path of [`/media/image/${ids.linked}`, `/media/thumb/${ids.linked}`, `/media/image/${ids.altered}`]) {
      const res = await get(path);
      expect(res.status, path).not.toBe(200);
      expect(res.body.includes(passwd.subarray(0, 20)), path).toBe(false);
      expect(JSON.parse(res.body.toString()).message, path).toMatch(/symbolic link|does not match its content hash/);
    }
  });

  it('export refuses to copy a symlinked or altered original and leaves nothing behind', async () => {
    const parent = makeTempDir('vcs-out-');
    await expect(runExport(ws, { versionId, format: 'imagefolder', destination: join(parent, 'out') })).rejects.toThrow(
      /symbolic link|does not match its content hash/,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it('verifyStore reports the symlinked and the altered files', async () => {
    const report = await verifyStore(ws, datasetId);
    expect(report.missingOriginals).toEqual([]);
    expect(report.damagedOriginals.map((d) => [d.hash, d.problem]).sort()).toEqual(
      [
        [hashes.linked, 'symlink'],
        [hashes.altered, 'altered'],
      ].sort(),
    );
    expect(report.damagedOriginals.find((d) => d.problem === 'altered')?.sampleIds).toEqual([ids.altered]);
    expect(report.damagedThumbs).toEqual([{ hash: hashes.linked, problem: 'symlink', detail: expect.stringMatching(/symbolic link/) }]);
  });

  it('re-importing the source repairs the damaged store files', async () => {
    await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'store' });
    const report = await verifyStore(ws, datasetId);
    expect([report.missingOriginals, report.damagedOriginals, report.damagedThumbs]).toEqual([[], [], []]);
    expect((await get(`/media/image/${ids.linked}`)).status).toBe(200);
    expect((await get(`/media/image/${ids.altered}`)).status).toBe(200);
  });
});
