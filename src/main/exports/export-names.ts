/** File and folder naming for exports: hash-prefixed original basenames, labels made safe as folder names, CSV quoting. */
import { basename, extname } from 'node:path';

const UNSAFE = /[<>:"/\\|?*]/g;

/** A label or name usable as one path segment on every OS (never empty, "." or ".."). */
export function safeSegment(name: string): string {
  const visible = [...name].map((ch) => (ch.charCodeAt(0) < 32 ? '_' : ch)).join('');
  const cleaned = visible.replace(UNSAFE, '_').replace(/[. ]+$/, '').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

/**
 * One folder per label, unique even on case-insensitive disks: labels that sanitise to the same name
 * (a/b, a_b, A_B) get "-2", "-3", … in label order, so no two classes are merged without a word.
 */
export function uniqueFolders(labels: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const label of labels) {
    if (out.has(label)) continue;
    const base = safeSegment(label);
    let folder = base;
    for (let n = 2; taken.has(folder.toLowerCase()); n++) folder = `${base}-${n}`;
    taken.add(folder.toLowerCase());
    out.set(label, folder);
  }
  return out;
}

/** "<first 8 hex of the hash>-<original basename>": unique per image, still readable. */
export function exportFileName(hash: string, originalPath: string, ext: string): string {
  const base = basename(originalPath.replace(/\\/g, '/'));
  const named = safeSegment(base);
  return `${hash.slice(0, 8)}-${extname(named) ? named : `${named}.${ext}`}`;
}

/** Leading characters a spreadsheet app reads as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * One CSV field: a cell that a spreadsheet would run as a formula gets a leading single quote (plain
 * numbers such as -1.5 stay numbers), then it is quoted when it holds a comma, quote, or line break.
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
