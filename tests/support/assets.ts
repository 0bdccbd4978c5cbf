/** Paths to the shared test assets beside the repo (../shared/assets), wherever the clone lives. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const SHARED_DIR = resolve(process.env.STUDIO_SHARED_DIR ?? join(REPO_ROOT, '..', 'shared'));

/** Absolute path under ../shared/assets; throws a clear error when the assets are not checked out. */
export function asset(...parts: string[]): string {
  const p = join(SHARED_DIR, 'assets', ...parts);
  if (!existsSync(p)) throw new Error(`test asset missing: ${p} (expected ../shared/assets beside the repo, or set STUDIO_SHARED_DIR)`);
  return p;
}
