/** Resolves paths found in a folder or manifest and refuses any that lead (lexically or via a symlink) outside the import root. */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ImportIssue } from '../../shared/domain';

/** True when `child` is `root` itself or lies below it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type Resolved = { ok: true; path: string } | { ok: false; issue: ImportIssue };

/**
 * Resolves `ref` against `baseDir` and checks it stays inside `root` (whose real path is `realRoot`)
 * both as written and after following symlinks. Missing files become 'missing-file' issues.
 */
export async function resolveInside(root: string, realRoot: string, baseDir: string, ref: string): Promise<Resolved> {
  const abs = resolve(baseDir, ref);
  if (!isInside(root, abs)) {
    return { ok: false, issue: { path: abs, reason: 'outside-root', detail: `"${ref}" is outside the import folder ${root}` } };
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? 'file not found' : `cannot resolve the path (${code ?? String(err)})`;
    return { ok: false, issue: { path: abs, reason: code === 'ENOENT' ? 'missing-file' : 'unreadable', detail } };
  }
  if (!isInside(realRoot, real)) {
    return {
      ok: false,
      issue: { path: abs, reason: 'outside-root', detail: `symbolic link to ${real} leads outside the import folder; not followed` },
    };
  }
  return { ok: true, path: abs };
}
