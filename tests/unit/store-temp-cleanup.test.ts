/** Temp files a killed import left in the image store (images/…tmp-*, thumbs/…webp.tmp-*) are removed when the workspace opens; live writers' files stay. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

afterEach(cleanupTempDirs);

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('store temp files at workspace open', () => {
  it('removes temp files of dead writers, keeps store files and a live writer\'s temp file', () => {
    const root = makeTempDir('vcs-ws-');
    openWorkspace(root).close();
    const hash = 'ab'.repeat(32);
    mkdirSync(join(root, 'thumbs', 'ab'), { recursive: true });
    mkdirSync(join(root, 'images', 'ab'), { recursive: true });
    const dead = deadPid();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const staleThumb = join(root, 'thumbs', 'ab', `${hash}.webp.tmp-${dead}-0a1b2c3d`);
      const staleImage = join(root, 'images', 'ab', `${hash}.jpg.tmp-${dead}-deadbeef`);
      const liveThumb = join(root, 'thumbs', 'ab', `${hash}.webp.tmp-${live.pid}-00000000`);
      const keepThumb = join(root, 'thumbs', 'ab', `${hash}.webp`);
      const keepImage = join(root, 'images', 'ab', `${hash}.jpg`);
      for (const f of [staleThumb, staleImage, liveThumb, keepThumb, keepImage]) writeFileSync(f, 'x');
      const ws = openWorkspace(root);
      ws.close();
      expect([staleThumb, staleImage].map(existsSync)).toEqual([false, false]);
      expect([liveThumb, keepThumb, keepImage].map(existsSync)).toEqual([true, true, true]);
    } finally {
      live.kill();
    }
  });
});
