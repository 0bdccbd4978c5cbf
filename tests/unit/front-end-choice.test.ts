/**
 * `npm start`'s choice between the Electron window and the browser UI, on a scratch project folder:
 * the electron package missing, no display, and a binary download that fails (a real one: the
 * mirror points at a closed port on 127.0.0.1) — remembered, never fatal, with one-line reasons.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../e2e/support/paths';
// @ts-expect-error plain ESM script without type declarations
import { chooseFrontEnd, headlessLinux } from '../../scripts/front-end-choice.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A project folder with package.json and, optionally, the real electron package (without its binary). */
function project(withElectron: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'vcs-start-'));
  roots.push(root);
  cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  // Every other installed package is linked in, so electron's own download helpers resolve as in a real install.
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry !== 'electron' && entry !== '.bin') symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  if (withElectron) {
    const src = join(REPO_ROOT, 'node_modules', 'electron');
    cpSync(src, join(root, 'node_modules', 'electron'), { recursive: true, filter: (p) => !p.startsWith(join(src, 'dist')) && !p.endsWith('path.txt') });
  }
  return root;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start front-end choice', () => {
  it('knows a headless Linux box', () => {
    expect(headlessLinux({}, 'linux')).toBe(true);
    expect(headlessLinux({ DISPLAY: ':0' }, 'linux')).toBe(false);
    expect(headlessLinux({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(false);
    expect(headlessLinux({}, 'darwin')).toBe(false);
  });

  it('serves the browser UI when npm left out the electron package, and says how to get the window', async () => {
    const choice = await chooseFrontEnd(project(false), { DISPLAY: ':0' });
    expect(choice.electron).toBeNull();
    expect(choice.reason).toBe('npm left out the optional electron package');
    expect(choice.hint).toMatch(/npm run electron:fetch/);
  });

  it('tries the binary download once, falls back to the browser, and does not retry on the next start', async () => {
    const root = project(true);
    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const saved = { ELECTRON_MIRROR: process.env.ELECTRON_MIRROR, electron_config_cache: process.env.electron_config_cache };
    process.env.ELECTRON_MIRROR = mirror;
    process.env.electron_config_cache = join(root, 'electron-cache');
    try {
      const first = await chooseFrontEnd(root, { DISPLAY: ':0' });
      expect(first.electron).toBeNull();
      expect(first.reason).toMatch(/^Electron's binary could not be downloaded \(network error: .*ECONNREFUSED/);
      expect(first.hint).toMatch(/npm run electron:fetch/);
      const marker = join(root, '.electron-native', 'binary-fetch-failed.txt');
      expect(existsSync(marker)).toBe(true);
      expect(readFileSync(marker, 'utf8')).toMatch(/ECONNREFUSED/);
      const started = Date.now();
      const second = await chooseFrontEnd(root, { DISPLAY: ':0' });
      expect(second.reason).toMatch(/^Electron's binary is not downloaded \(the last try failed: /);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('never opens a window on a headless box', async () => {
    const root = project(true);
    writeFileSync(join(root, 'marker'), '');
    const choice = await chooseFrontEnd(root, {});
    expect(choice).toMatchObject({ electron: null, reason: expect.stringMatching(/no display found/) });
  });
});
