/** Proves the Electron shell's security settings and IPC wiring with a mocked 'electron' module (no Electron binary needed). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    openHandler: ((details: unknown) => unknown) | null = null;
    sent: Array<[string, unknown]> = [];
    on(name: string, cb: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), cb]);
      return this;
    }
    setWindowOpenHandler = (h: (details: unknown) => unknown) => void (this.openHandler = h);
    send = (channel: string, message: unknown) => void this.sent.push([channel, message]);
    emit(name: string, ...args: unknown[]) {
      for (const cb of this.listeners.get(name) ?? []) cb(...args);
    }
  }
  class FakeBrowserWindow {
    static instances: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    loaded: { url?: string; file?: string } = {};
    constructor(public options: Record<string, unknown>) {
      FakeBrowserWindow.instances.push(this);
    }
    once = () => this;
    on = () => this;
    isDestroyed = () => false;
    loadURL(url: string) {
      this.loaded.url = url;
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded.file = file;
      return Promise.resolve();
    }
  }
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const protocol = {
    privileged: [] as unknown[],
    handled: new Map<string, unknown>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, fn: unknown) {
      this.handled.set(scheme, fn);
    },
    unhandle(scheme: string) {
      this.handled.delete(scheme);
    },
  };
  const makeSession = () => ({
    headersHook: null as null | ((details: unknown, cb: (r: unknown) => void) => void),
    permissionRequest: null as null | ((...args: unknown[]) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    webRequest: {
      onHeadersReceived(this: void, hook: (details: unknown, cb: (r: unknown) => void) => void) {
        session.defaultSession.headersHook = hook;
      },
    },
    setPermissionRequestHandler(h: (...args: unknown[]) => void) {
      this.permissionRequest = h;
    },
    setPermissionCheckHandler(h: (...args: unknown[]) => boolean) {
      this.permissionCheck = h;
    },
  });
  const session = { defaultSession: makeSession() };
  const appEvents = new Map<string, Listener>();
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const app = {
    userData: '',
    isPackaged: false,
    getPath: () => app.userData,
    setPath: (_name: string, value: string) => (app.userData = value),
    requestSingleInstanceLock: () => true,
    on: (name: string, cb: Listener) => appEvents.set(name, cb),
    whenReady: () => ready,
    quit: vi.fn(),
    exit: vi.fn(),
  };
  return { FakeBrowserWindow, FakeWebContents, handlers, ipcMain, protocol, session, app, appEvents, readyResolve: () => readyResolve() };
});

vi.mock('electron', () => ({
  app: electron.app,
  BrowserWindow: electron.FakeBrowserWindow,
  ipcMain: electron.ipcMain,
  protocol: electron.protocol,
  session: electron.session,
  // A stand-in for Electron's safeStorage with no keychain behind it (Linux 'basic_text'): the shell falls back to the Node keyring or memory.
  safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
}));

const core = vi.hoisted(() => ({ bus: null as unknown, seeded: 0 }));
vi.mock('../../src/main/api/studio-core', async () => {
  const { StudioEventBus } = await import('../../src/main/api/event-bus');
  const { CHANNEL_NAMES } = await import('../../src/shared/ipc-contract');
  return {
    createStudioCore: (workspace: { close(): void }) => {
      const bus = new StudioEventBus();
      core.bus = bus;
      const handlers = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, (args: unknown) => ({ channel: c, args })]));
      return { workspace, handlers, bus, close: async () => workspace.close() };
    },
  };
});
vi.mock('../../src/main/sample/seed-sample', () => ({ seedSampleProject: () => (core.seeded++, null) }));

import { CHANNEL_NAMES } from '../../src/shared/ipc-contract';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { createDispatcher } from '../../src/main/api/dispatch';
import type { Handlers } from '../../src/main/api/handler-types';
import { forwardEvents, registerIpc } from '../../src/main/electron/ipc-register';
import { mediaResponse, registerMediaScheme } from '../../src/main/electron/media-protocol';
import { createMainWindow, hardenWebContents, isTrustedRendererUrl, secureSession } from '../../src/main/electron/window';
import { buildCsp } from '../../src/main/security/csp';
import { openWorkspace, thumbPath, type Workspace } from '../../src/main/workspace/workspace';

const INDEX = '/opt/studio/out/renderer/index.html';
const TRUSTED = pathToFileURL(INDEX).href;
type IpcHandler = (event: unknown, arg: unknown) => Promise<unknown>;

describe('csp', () => {
  it('is strict in production and relaxes only inline code in dev, never eval', () => {
    const prod = buildCsp();
    expect(prod).toContain("default-src 'self'");
    expect(prod).toContain("script-src 'self';");
    expect(prod).toContain("img-src 'self' studio-media: blob: data:");
    expect(prod).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const dev = buildCsp({ dev: true, connectSrc: ['http://localhost:5173', 'ws://localhost:5173'] });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
  });
});

describe('window', () => {
  it('creates the window with isolated, sandboxed, node-free web preferences and the preload', () => {
    const win = createMainWindow({ preloadPath: '/opt/studio/out/preload/index.cjs', indexHtml: INDEX }) as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe('/opt/studio/out/preload/index.cjs');
    expect(win.loaded.file).toBe(INDEX);
    const dev = createMainWindow({ preloadPath: 'p', indexHtml: INDEX, devUrl: 'http://localhost:5173' }) as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    expect(dev.loaded.url).toBe('http://localhost:5173');
  });

  it('blocks navigation, redirects, webviews and new windows', () => {
    const contents = new electron.FakeWebContents();
    hardenWebContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('sets the CSP header on every response and denies permissions', () => {
    const s = electron.session.defaultSession;
    secureSession(s as never, "default-src 'self'; script-src 'self'");
    let out: { responseHeaders: Record<string, string[]> } | null = null;
    s.headersHook?.({ responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) => (out = r as typeof out));
    expect(out!.responseHeaders['Content-Security-Policy']).toEqual(["default-src 'self'; script-src 'self'"]);
    expect(out!.responseHeaders['content-security-policy']).toBeUndefined();
    expect(out!.responseHeaders['X-Other']).toEqual(['1']);
    const decision = vi.fn();
    s.permissionRequest?.({}, 'media', decision);
    expect(decision).toHaveBeenCalledWith(false);
    expect(s.permissionCheck?.({}, 'geolocation')).toBe(false);
  });

  it('trusts only our renderer frame as IPC sender', () => {
    expect(isTrustedRendererUrl(TRUSTED, { indexHtml: INDEX })).toBe(true);
    expect(isTrustedRendererUrl(`${TRUSTED}#/datasets`, { indexHtml: INDEX })).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/evil.html', { indexHtml: INDEX })).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/', { indexHtml: INDEX })).toBe(false);
    expect(isTrustedRendererUrl(undefined, { indexHtml: INDEX })).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/x', { indexHtml: INDEX, devUrl: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', { indexHtml: INDEX, devUrl: 'http://localhost:5173' })).toBe(false);
  });
});

describe('ipc registration', () => {
  beforeEach(() => electron.handlers.clear());
  const handlers = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, (args: unknown) => ({ channel: c, args })])) as unknown as Handlers;
  const trusted = (url: string | undefined) => isTrustedRendererUrl(url, { indexHtml: INDEX });

  it('registers every contract channel and removes them again', () => {
    const off = registerIpc(createDispatcher(handlers), trusted);
    expect([...electron.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    off();
    expect(electron.handlers.size).toBe(0);
  });

  it('answers with an envelope: results, invalid args, foreign senders', async () => {
    registerIpc(createDispatcher(handlers), trusted);
    const handle = electron.handlers.get('samples:get') as IpcHandler;
    expect(await handle({ senderFrame: { url: TRUSTED } }, { sampleId: 4 })).toEqual({ ok: true, result: { channel: 'samples:get', args: { sampleId: 4 } } });
    const invalid = (await handle({ senderFrame: { url: TRUSTED } }, { sampleId: 'x' })) as { ok: boolean; error: { code: string } };
    expect(invalid.ok).toBe(false);
    expect(invalid.error.code).toBe('invalid-args');
    expect(await handle({ senderFrame: { url: 'https://evil.example/' } }, { sampleId: 4 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handle({ senderFrame: null }, { sampleId: 4 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('forwards every bus event on studio:event until unsubscribed', () => {
    const bus = new StudioEventBus();
    const sent: Array<[string, unknown]> = [];
    const off = forwardEvents(bus, (channel, message) => sent.push([channel, message]));
    bus.emit('dataset:changed', { datasetId: 1, reason: 'edit' });
    bus.emit('jobs:progress', { jobId: 'j1' } as never);
    off();
    bus.emit('dataset:changed', { datasetId: 2, reason: 'edit' });
    expect(sent).toEqual([
      ['studio:event', { event: 'dataset:changed', payload: { datasetId: 1, reason: 'edit' } }],
      ['studio:event', { event: 'jobs:progress', payload: { jobId: 'j1' } }],
    ]);
  });
});

describe('studio-media protocol', () => {
  let root: string;
  let ws: Workspace;
  let sampleId: number;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vcs-media-'));
    ws = openWorkspace(root);
    const hash = 'ef'.repeat(32);
    const ds = Number(ws.db.prepare("INSERT INTO datasets (name) VALUES ('d')").run().lastInsertRowid);
    ws.db.prepare("INSERT INTO images (hash, ext, format, width, height, bytes) VALUES (?, 'png', 'png', 1, 1, 3)").run(hash);
    sampleId = Number(ws.db.prepare("INSERT INTO samples (dataset_id, image_hash, original_path) VALUES (?, ?, 'x.png')").run(ds, hash).lastInsertRowid);
    mkdirSync(dirname(thumbPath(ws, hash)), { recursive: true });
    writeFileSync(thumbPath(ws, hash), 'thumb!');
  });
  afterAll(() => {
    ws.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is registered as a privileged standard scheme', () => {
    registerMediaScheme();
    expect(electron.protocol.privileged).toContainEqual({
      scheme: 'studio-media',
      privileges: expect.objectContaining({ standard: true, secure: true }),
    });
  });

  it('serves store files by sample id and refuses everything else', async () => {
    const ok = await mediaResponse(ws, `studio-media://thumb/${sampleId}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/webp');
    expect(await ok.text()).toBe('thumb!');
    const missing = await mediaResponse(ws, `studio-media://image/${sampleId}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'not-found', message: 'original missing from the image store' });
    for (const bad of ['studio-media://thumb/../../etc/passwd', 'studio-media://thumb/abc', 'studio-media://file/1', 'studio-media://thumb/1/2/3', 'studio-media://thumb/1/abc', 'studio-media://thumb/1/0']) {
      expect((await mediaResponse(ws, bad)).status, bad).toBe(400);
    }
    // <id>/<versionId>: the image a version froze for the sample (robustness splits); none in version 99999.
    expect((await mediaResponse(ws, `studio-media://thumb/${sampleId}/99999`)).status).toBe(404);
  });
});

describe('app entry', () => {
  let userData: string;
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('on ready: opens the workspace, seeds, registers IPC + media, opens one hardened window, forwards events', async () => {
    userData = mkdtempSync(join(tmpdir(), 'vcs-userdata-'));
    electron.app.userData = userData;
    electron.handlers.clear();
    electron.FakeBrowserWindow.instances.length = 0;
    await import('../../src/main/electron/index');
    expect(electron.appEvents.has('web-contents-created')).toBe(true);
    electron.readyResolve();
    await vi.waitFor(() => expect(electron.FakeBrowserWindow.instances.length).toBe(1));
    expect(core.seeded).toBe(1);
    expect(electron.handlers.size).toBe(CHANNEL_NAMES.length);
    expect(electron.protocol.handled.has('studio-media')).toBe(true);
    const win = electron.FakeBrowserWindow.instances[0];
    expect((win.options.webPreferences as Record<string, unknown>).preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(electron.session.defaultSession.headersHook).not.toBeNull();
    (core.bus as StudioEventBus).emit('dataset:changed', { datasetId: 5, reason: 'split' });
    expect(win.webContents.sent).toEqual([['studio:event', { event: 'dataset:changed', payload: { datasetId: 5, reason: 'split' } }]]);
    const quitEvent = { preventDefault: vi.fn() };
    electron.appEvents.get('before-quit')?.(quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(electron.handlers.size).toBe(0);
  });
});
