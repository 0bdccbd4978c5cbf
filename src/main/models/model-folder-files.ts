/** Listing and reading the files of a model folder without throwing: what's broken becomes a problem line. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFileInfo } from '../../shared/model-types';

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
        if (!s?.isFile()) continue;
        if (limits && out.length >= limits.maxFiles) {
          stop(`stopped after ${limits.maxFiles} files`);
          return;
        }
        out.push({ path: childRel, bytes: s.size });
      }
    }
  };
  await walk('', 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type JsonRead = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

/** Reads a JSON object file; a missing file gives `missingProblem`, bad JSON gives "<name> is not valid JSON: …". */
export async function readJsonObject(dir: string, name: string, missingProblem: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, problem: missingProblem };
    return { ok: false, problem: `${name} can't be read: ${(err as Error).message}` };
  }
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

/** Text of an optional file, or null when it doesn't exist or can't be read. */
export async function readOptionalText(dir: string, name: string): Promise<string | null> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch {
    return null;
  }
}

/** Reads an object-valued key, or undefined. */
export function objectField(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = obj[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
