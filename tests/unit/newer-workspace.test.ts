/** A workspace written by a newer app: the CLI and the browser host refuse it first, with one line and a non-zero exit, and touch nothing. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { runTsx } from '../support/run-tsx';

afterEach(cleanupTempDirs);

/** Every entry below dir with the sha256 of each file's bytes. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, { [`${prefix}${name}/`]: 'dir' }, snapshot(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** A workspace folder holding only a WAL-mode database from a future schema. */
function newerWorkspace(): string {
  const ws = makeTempDir('vcs-newer-');
  const db = new Database(join(ws, 'studio.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1);');
  db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
  db.close();
  return ws;
}

const run = (script: string, args: string[]) => runTsx(script, args);

describe('a workspace from a newer version', () => {
  it.each([
    ['CLI list', 'src/main/cli/index.ts', (ws: string) => ['list', '--workspace', ws]],
    ['CLI import', 'src/main/cli/index.ts', (ws: string) => ['import', ws, '--workspace', ws]],
    ['browser host', 'src/main/host/serve.ts', (ws: string) => ['--workspace', ws, '--no-sample', '--port', '0']],
  ])('%s: one-line refusal, non-zero exit, the folder unchanged', async (_name, script, args) => {
    const ws = newerWorkspace();
    const before = snapshot(ws);
    expect(Object.keys(before)).toEqual(['studio.db']);
    const r = await run(script, args(ws));
    expect(r.code).not.toBe(0);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/newer version of the studio \(schema \d+, this app supports up to \d+\)/);
    expect(r.err).not.toMatch(/\bat \S+:\d+:\d+/);
    expect(snapshot(ws)).toEqual(before);
  });
});
