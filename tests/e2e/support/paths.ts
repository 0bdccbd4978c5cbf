/** Fixed locations the e2e specs need (kept free of app imports so any spec can load it cheaply). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
export const CHROMIUM_PATH = process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium';
