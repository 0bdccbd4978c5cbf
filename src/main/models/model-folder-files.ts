/** Listing and reading the files of a model folder without throwing: what's broken becomes a problem line. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFileInfo } from '../../shared/model-types';
import { NotRegularFileError, readRegularFile, specialKind } from '../files/regular-file';

/**
 * How far a model folder listing goes. Hub model folders hold tens of files at most two folders deep
 * (onnx/…); a folder past these limits (node_modules, a home folder, /) is not a model folder.
 */
export const MODEL_LISTING_LIMITS = { maxFiles: 2000, maxDepth: 4 } as const;

export interface ListingLimits {
  maxFiles: number;
  maxDepth: number;
  /** Receives "stopped after N files" / "stopped at depth D" when the walk stops early. */
  onStop: (reason: string) => void;
}

/**
 * Every regular file under dir (hidden names skipped), '/'-separated relative paths, sorted. Unreadable folders are
 * reported into `problems` when given, else the error is thrown. With `limits`, the walk stops at the first
 * folder deeper than maxDepth or once maxFiles files are listed, and says why through onStop.
 */
export async function listModelFiles(dir: string, problems?: string[], limits?: ListingLimits): Promise<ModelFileInfo[]> {
  const out: ModelFileInfo[] = [];
  let stopped = false;
  const stop = (reason: string): void => {
    if (stopped) return;
    stopped = true;
    limits?.onStop(reason);
  };
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (stopped) return;
    if (limits && depth > limits.maxDepth) {
      stop(`stopped at depth ${depth}`);
      return;
    }
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (!problems) throw err;
      problems.push(`${rel === '' ? 'the folder' : `${rel}/`} can't be read: ${(err as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (stopped) return;
      if (e.name.startsWith('.')) continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(childRel, depth + 1);
      else if (e.isFile() || e.isSymbolicLink()) {
        const s = await stat(join(dir, childRel)).catch(() => null);
        if (s && !s.isFile() && !s.isDirectory()) problems?.push(notRegularProblem(childRel, specialKind(s)));
        if (!s?.isFile()) continue;
        if (limits && out.length >= limits.maxFiles) {
          stop(`stopped after ${limits.maxFiles} files`);
          return;
        }
        out.push({ path: childRel, bytes: s.size });
      } else problems?.push(notRegularProblem(childRel, specialKind(e)));
    }
  };
  await walk('', 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The problem line for a model-folder entry that is not a regular file (the same text from the listing and the readers). */
export function notRegularProblem(rel: string, kind: string): string {
  return `${rel} is not a regular file (${kind}): it is not read`;
}

export type TextRead = { ok: true; text: string } | { ok: false; missing: boolean; problem: string };

/** Text of a file in the folder, only when it is a regular file (a FIFO is reported, never waited on). */
export async function readTextFile(dir: string, name: string): Promise<TextRead> {
  try {
    return { ok: true, text: (await readRegularFile(join(dir, name))).toString('utf8') };
  } catch (err) {
    if (err instanceof NotRegularFileError) return { ok: false, missing: false, problem: notRegularProblem(name, err.kind) };
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, problem: `${name} can't be read: ${(err as Error).message}` };
  }
}

export type JsonRead = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

/** Reads a JSON object file; a missing file gives `missingProblem`, bad JSON gives "<name> is not valid JSON: …". */
export async function readJsonObject(dir: string, name: string, missingProblem: string): Promise<JsonRead> {
  const read = await readTextFile(dir, name);
  if (!read.ok) return { ok: false, problem: read.missing ? missingProblem : read.problem };
  const text = read.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${name} is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: `${name} is not a JSON object` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Reads an object-valued key, or undefined. */
export function objectField(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = obj[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
