/**
 * Path rules of imports. A folder import covers exactly the chosen folder tree (isInside: a symlink
 * leading out of it is reported, not followed — predictable scope, no stray link walking a whole
 * disk). A manifest names its files one by one, so any listed file the user can read is theirs to
 * import: absolute paths, or paths relative to the manifest's folder (../ included).
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ImportIssue } from '../../shared/domain';
import { notRegularIssue } from './file-kind';

/** True when `child` is `root` itself or lies below it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type Resolved = { ok: true; path: string } | { ok: false; issue: ImportIssue };

/** Resolves a manifest's path cell (absolute, or relative to `baseDir`); a missing path or one that is not a regular file is an issue. */
export async function resolveListed(baseDir: string, ref: string): Promise<Resolved> {
  const abs = resolve(baseDir, ref);
  try {
    const st = await stat(abs);
    if (!st.isFile()) return { ok: false, issue: notRegularIssue(abs, st) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    const detail = missing ? 'file not found' : `cannot resolve the path (${code ?? String(err)})`;
    return { ok: false, issue: { path: abs, reason: missing ? 'missing-file' : 'unreadable', detail } };
  }
  return { ok: true, path: abs };
}
