/** Finds the Electron executable the npm package points at; null where the package was installed without its binary. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export const ELECTRON_SKIP_REASON =
  'Electron binary not downloaded on this machine (opt-in: `npm run electron:fetch` where the internet is reachable); run this spec where it is';

export function findElectronBinary(): string | null {
  try {
    const path: unknown = createRequire(join(REPO_ROOT, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
