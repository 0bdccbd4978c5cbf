/** Electron entry: one instance, one workspace under userData, the core behind validated IPC, one hardened window. */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../api/dispatch';
import { createStudioCore, type StudioCore } from '../api/studio-core';
import { seedSampleProject } from '../sample/seed-sample';
import { buildCsp } from '../security/csp';
import { openNodeSecretStore } from '../secrets/open-node-secret-store';
import { memorySecretStore } from '../secrets/memory-secret-store';
import { openWorkspace } from '../workspace/workspace';
import { openSafeStorageStore } from './safe-storage-store';
import { forwardEvents, registerIpc } from './ipc-register';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { createMainWindow, hardenWebContents, isTrustedRendererUrl, secureSession, type WindowOptions } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const windowOptions: WindowOptions = {
  preloadPath: join(here, '../preload/index.cjs'),
  indexHtml: join(here, '../renderer/index.html'),
  devUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
};

let core: StudioCore | null = null;
let mainWindow: BrowserWindow | null = null;
const cleanups: Array<() => void> = [];

// Lets tests and portable setups point the app at a throwaway profile + workspace.
if (process.env.STUDIO_USER_DATA) app.setPath('userData', process.env.STUDIO_USER_DATA);
registerMediaScheme();

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

function devConnectSources(): string[] {
  if (!windowOptions.devUrl) return [];
  const dev = new URL(windowOptions.devUrl);
  return [dev.origin, `ws://${dev.host}`];
}

/** safeStorage when the OS keychain backs it, else the OS keyring from Node, else memory + environment (saying why). */
async function openSecrets() {
  const safe = openSafeStorageStore(app.getPath('userData'));
  if (safe.ok) return safe.store;
  const node = await openNodeSecretStore();
  return node.keychain ? node : memorySecretStore(`${safe.reason}; ${node.reason ?? 'no OS keychain'}`);
}

async function start(): Promise<void> {
  const workspace = openWorkspace(join(app.getPath('userData'), 'workspace'));
  core = createStudioCore(workspace, 'electron', { secrets: await openSecrets() });
  try {
    seedSampleProject(core);
  } catch (err) {
    console.warn(`Could not seed the sample project: ${err instanceof Error ? err.message : String(err)}`);
  }
  secureSession(session.defaultSession, buildCsp({ connectSrc: devConnectSources(), dev: Boolean(windowOptions.devUrl) }));
  cleanups.push(handleMediaProtocol(workspace));
  cleanups.push(registerIpc(createDispatcher(core.handlers), (url) => isTrustedRendererUrl(url, windowOptions)));
  mainWindow = createMainWindow(windowOptions);
  const win = mainWindow;
  cleanups.push(
    forwardEvents(core.bus, (channel, message) => {
      if (!win.isDestroyed()) win.webContents.send(channel, message);
    }),
  );
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (!core || closing) return;
    closing = true;
    event.preventDefault();
    for (const cleanup of cleanups.splice(0)) cleanup();
    const current = core;
    core = null;
    current
      .close()
      .catch((err: unknown) => console.error('Closing the workspace failed', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('VLM Classifier Studio failed to start', err);
      app.exit(1);
    });
}
