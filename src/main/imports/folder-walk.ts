/** Recursive folder listing for imports: skips hidden entries, follows symlinks only while they stay inside the root, never loops. */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportIssue } from '../../shared/domain';
import { notRegularIssue } from './file-kind';
import { isInside } from './path-guard';

export interface WalkEntry {
  path: string;
  kind: 'file' | 'dir';
}

/** Lists the visible entries of one folder (sorted by name), resolving symlinks; refusals go to `issues`. */
export async function listFolder(dir: string, realRoot: string, issues: ImportIssue[]): Promise<WalkEntry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    issues.push({ path: dir, reason: 'unreadable', detail: `cannot list the folder: ${(err as Error).message}` });
    return [];
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: WalkEntry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const path = join(dir, d.name);
    if (d.isDirectory()) out.push({ path, kind: 'dir' });
    else if (d.isFile()) out.push({ path, kind: 'file' });
    else if (d.isSymbolicLink()) {
      const entry = await followLink(path, realRoot, issues);
      if (entry) out.push(entry);
    } else issues.push(notRegularIssue(path, d));
  }
  return out;
}

async function followLink(path: string, realRoot: string, issues: ImportIssue[]): Promise<WalkEntry | null> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    issues.push({ path, reason: 'missing-file', detail: 'broken symbolic link' });
    return null;
  }
  if (!isInside(realRoot, real)) {
    issues.push({ path, reason: 'outside-root', detail: `symbolic link to ${real} leads outside the import folder; not followed` });
    return null;
  }
  const st = await stat(real);
  if (st.isDirectory()) return { path, kind: 'dir' };
  if (st.isFile()) return { path, kind: 'file' };
  issues.push(notRegularIssue(path, st));
  return null;
}

/** All files below `dir` (depth-first, sorted); each real folder is visited once so symlink cycles end. */
export async function walkFiles(dir: string, realRoot: string, issues: ImportIssue[], visited = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const files: string[] = [];
  for (const entry of await listFolder(dir, realRoot, issues)) {
    if (entry.kind === 'file') files.push(entry.path);
    else for (const f of await walkFiles(entry.path, realRoot, issues, visited)) files.push(f);
  }
  return files;
}
