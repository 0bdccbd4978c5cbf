/** The main BrowserWindow and the session/web-contents hardening around it (CSP header, no navigation, no popups, no permissions). */
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

export interface WindowOptions {
  preloadPath: string;
  /** Built renderer entry (out/renderer/index.html). */
  indexHtml: string;
  /** ELECTRON_RENDERER_URL in development (Vite dev server). */
  devUrl?: string;
}

/** Adds the CSP response header to every response and denies every permission request/check. */
export function secureSession(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** No navigation away from the app, no new windows, no <webview>: applied to every web contents. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** URL the window loads, and therefore the only frame URL trusted as an IPC sender. */
export function rendererUrl(options: Pick<WindowOptions, 'indexHtml' | 'devUrl'>): string {
  return options.devUrl ? options.devUrl : pathToFileURL(options.indexHtml).href;
}

/** True when an IPC sender frame shows our renderer (same origin in dev, the exact index.html file in production). */
export function isTrustedRendererUrl(frameUrl: string | undefined, options: Pick<WindowOptions, 'indexHtml' | 'devUrl'>): boolean {
  if (!frameUrl) return false;
  let actual: URL;
  try {
    actual = new URL(frameUrl);
  } catch {
    return false;
  }
  const expected = new URL(rendererUrl(options));
  if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'VLM Classifier Studio',
    backgroundColor: '#111418',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.indexHtml);
  return win;
}
