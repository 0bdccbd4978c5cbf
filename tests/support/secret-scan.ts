/** Test helper: finds a secret's bytes in every file under some folders — plain, hex (either case) and base64 at any alignment. */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The byte strings that betray `secret`: itself, its hex, and the alignment-independent middle of its base64/base64url. */
export function secretNeedles(secret: string): Buffer[] {
  const raw = Buffer.from(secret, 'utf8');
  const hex = raw.toString('hex');
  const needles = [raw, Buffer.from(hex), Buffer.from(hex.toUpperCase())];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift, 0x20), raw]).toString('base64');
    // Drop the groups that mix in a neighbour's bytes: what is left depends on the secret alone.
    const middle = b64.slice(shift === 0 ? 0 : 4, b64.length - 4);
    // Too short a middle (a secret of a few bytes) would match anything: then only plain and hex count.
    if (middle.length >= 8) needles.push(Buffer.from(middle), Buffer.from(middle.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return needles;
}

/** Every file (following no links) under the roots whose bytes hold one of the needles, as "path: needle". */
export function scanForSecret(roots: readonly string[], secret: string): string[] {
  const needles = secretNeedles(secret);
  const hits: string[] = [];
  const walk = (path: string): void => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    if (!st.isFile()) return;
    const bytes = readFileSync(path);
    for (const needle of needles) if (bytes.includes(needle)) hits.push(`${path}: ${needle.toString()}`);
  };
  for (const root of roots) walk(root);
  return hits;
}

/** How many files the scan read under the roots (so a test can show it looked at something). */
export function countFiles(roots: readonly string[]): number {
  let n = 0;
  const walk = (path: string): void => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (st?.isFile()) n++;
  };
  for (const root of roots) walk(root);
  return n;
}
