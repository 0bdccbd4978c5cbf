/** The packaged-shell check: the real Electron app starts, exposes only window.studio, blocks navigation and serves store media. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../src/shared/studio-api';
import { ELECTRON_SKIP_REASON, findElectronBinary } from './support/electron-binary';
import { REPO_ROOT } from './support/paths';
import { scanForSecret } from '../support/secret-scan';

const electronPath = findElectronBinary();

/** The page globals these checks touch (this file compiles without the DOM lib). */
interface ImageLike {
  naturalWidth: number;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  src: string;
}
interface PageWindow {
  studio?: StudioApi;
  require?: unknown;
  process?: unknown;
  Image: new () => ImageLike;
  open(url: string): unknown;
  location: { href: string };
}

if (!electronPath) {
  console.warn(`electron-app.spec: skipped — ${ELECTRON_SKIP_REASON}`);
  it.skip(ELECTRON_SKIP_REASON, () => undefined);
} else {
  describe('Electron shell', () => {
    let userData: string;
    let app: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
      userData = mkdtempSync(join(tmpdir(), 'vcs-electron-'));
      const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
      delete env.ELECTRON_RENDERER_URL;
      app = await _electron.launch({
        executablePath: electronPath,
        args: [REPO_ROOT, ...(process.platform === 'linux' ? ['--no-sandbox', '--disable-gpu'] : [])],
        env: { ...env, STUDIO_USER_DATA: userData },
      });
      page = await app.firstWindow();
      await page.waitForFunction(() => typeof (globalThis as unknown as PageWindow).studio === 'object');
    });

    afterAll(async () => {
      await app?.close();
      rmSync(userData, { recursive: true, force: true });
    });

    it('runs the renderer isolated: no Node, no ipcRenderer, only the fixed studio API', async () => {
      const globals = await page.evaluate(() => {
        const w = globalThis as unknown as PageWindow;
        return { require: typeof w.require, process: typeof w.process, studioKeys: Object.keys(w.studio ?? {}).sort() };
      });
      expect(globals.require).toBe('undefined');
      expect(globals.process).toBe('undefined');
      expect(globals.studioKeys).toContain('datasets');
      expect(globals.studioKeys).toContain('on');
      expect(globals.studioKeys.join(',')).not.toMatch(/invoke|ipc/i);
    });

    it('answers through IPC with the electron host and validates arguments', async () => {
      const info = await page.evaluate(() => (globalThis as unknown as PageWindow).studio!.workspace.info({}));
      expect(info.host).toBe('electron');
      expect(info.path.startsWith(userData)).toBe(true);
      const message = await page.evaluate(() =>
        (globalThis as unknown as PageWindow).studio!.samples.get({ sampleId: -1 }).then(
          () => 'resolved',
          (err: Error) => err.message,
        ),
      );
      expect(message).toMatch(/\[studio:invalid-args\]/);
    });

    it('seeds the sample project and serves its thumbnails over studio-media://', async () => {
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as PageWindow).studio!.datasets.list({}).then((d) => d.length)), { timeout: 120_000 })
        .toBeGreaterThan(0);
      const status = await page.evaluate(async () => {
        const w = globalThis as unknown as PageWindow;
        const [dataset] = await w.studio!.datasets.list({});
        const pageOfSamples = await w.studio!.samples.page({ filter: { datasetId: dataset.id }, offset: 0, limit: 1 });
        const id = pageOfSamples.rows[0].id;
        return new Promise<string>((resolve) => {
          const img = new w.Image();
          img.onload = () => resolve(`loaded ${img.naturalWidth}`);
          img.onerror = () => resolve('error');
          img.src = `studio-media://thumb/${id}`;
        });
      });
      expect(status).toMatch(/^loaded [1-9]/);
    });

    it('blocks navigation away from the app and window.open', async () => {
      const before = page.url();
      await page.evaluate(() => {
        const w = globalThis as unknown as PageWindow;
        w.open('https://example.com/');
        w.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
      expect(app.windows().length).toBe(1);
    });

    it('keeps secrets with safeStorage only over a real keychain (basic_text is none) and never in plaintext under userData', async () => {
      const marker = `hf_${randomBytes(16).toString('hex')}`;
      const status = await page.evaluate(async (value) => {
        const w = globalThis as unknown as PageWindow;
        await w.studio!.secrets.set({ name: 'hf-token', value });
        return w.studio!.secrets.status({});
      }, marker);
      expect(status.set).toContainEqual({ name: 'hf-token', source: status.keychain ? 'keychain' : 'memory' });
      if (status.backend === 'electron-safe-storage') {
        expect(existsSync(join(userData, 'secrets.enc.json'))).toBe(true);
      } else {
        // No keychain (a headless Linux box): safeStorage's fixed-key 'basic_text' fallback was not taken for one.
        expect(status.keychain).toBe(status.backend === 'os-keyring');
        if (!status.keychain) expect(status.reason).toMatch(/safeStorage/);
        expect(existsSync(join(userData, 'secrets.enc.json'))).toBe(false);
      }
      expect(scanForSecret([userData], marker)).toEqual([]);
    });
  });
}
