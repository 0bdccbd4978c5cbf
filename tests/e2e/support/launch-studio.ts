/** E2E helper: the real browser host in-process (port 0, built renderer) plus headless Debian chromium via playwright-core. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createStudioCore, type StudioCore } from '../../../src/main/api/studio-core';
import { startBrowserHost, type BrowserHost } from '../../../src/main/host/browser-host';
import { seedSampleProject, waitForJob } from '../../../src/main/sample/seed-sample';
import type { SecretStore } from '../../../src/main/secrets/secret-store';
import { openWorkspace } from '../../../src/main/workspace/workspace';
import { CHROMIUM_PATH, RENDERER_DIR } from './paths';

export { CHROMIUM_PATH, RENDERER_DIR, REPO_ROOT } from './paths';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchOptions {
  workspaceDir: string;
  /** Import the bundled sample project first and wait for it (default false). */
  seedSample?: boolean;
  /** Open the studio URL in the page before returning (default true). */
  navigate?: boolean;
  viewport?: { width: number; height: number };
  /** The secret store the studio keeps tokens in (default: memory only). */
  secrets?: SecretStore;
}

export interface LaunchedStudio {
  page: Page;
  /** The tokenised URL (http://127.0.0.1:PORT/?token=…). */
  url: string;
  core: StudioCore;
  host: BrowserHost;
  browser: Browser;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far (specs can assert it stays empty). */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launchStudio(options: LaunchOptions): Promise<LaunchedStudio> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`Built renderer not found at ${RENDERER_DIR}: run \`npm run build\` first (npm test does).`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set STUDIO_CHROMIUM)`);
  const workspace = openWorkspace(options.workspaceDir);
  const core = createStudioCore(workspace, 'browser', { secrets: options.secrets });
  let host: BrowserHost | null = null;
  let browser: Browser | null = null;
  try {
    if (options.seedSample) {
      const jobId = seedSampleProject(core);
      if (jobId) {
        const job = await waitForJob(core, jobId);
        if (job.status !== 'done') throw new Error(`Seeding the sample project ended as ${job.status}: ${job.error ?? ''}`);
      }
    }
    host = await startBrowserHost({ workspace, handlers: core.handlers, bus: core.bus, rendererDir: RENDERER_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    if (options.navigate ?? true) await page.goto(host.url);
    const started = { host, browser };
    let closed = false;
    return {
      page,
      url: host.url,
      core,
      host,
      browser,
      context,
      pageErrors,
      close: async () => {
        if (closed) return;
        closed = true;
        await started.browser.close().catch(() => undefined);
        await started.host.close();
        await core.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await host?.close();
    await core.close();
    throw err;
  }
}
