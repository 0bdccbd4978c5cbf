/** The headless CLI end to end on real photos: import with a report of bad files, split, snapshot, export, list. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main/cli/index';
import { asset } from '../support/assets';

const PETS = asset('datasets', 'oxford-pets-370');
const root = mkdtempSync(join(tmpdir(), 'studio-cli-'));
const src = join(root, 'pets');
const ws = join(root, 'ws');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  for (const cls of ['cat', 'dog']) mkdirSync(join(src, cls, 'nested'), { recursive: true });
  const cats = readdirSync(join(PETS, 'cats')).sort().slice(0, 10);
  const dogs = readdirSync(join(PETS, 'dogs')).sort().slice(0, 10);
  cats.forEach((f, i) => copyFileSync(join(PETS, 'cats', f), join(src, 'cat', i < 2 ? 'nested' : '', f)));
  dogs.forEach((f) => copyFileSync(join(PETS, 'dogs', f), join(src, 'dog', f)));
  // Bad files the import report must name.
  writeFileSync(join(src, 'dog', 'empty.jpg'), Buffer.alloc(0));
  writeFileSync(join(src, 'dog', 'notes.jpg'), 'this is not an image\n');
  const jpeg = readFileSync(join(PETS, 'dogs', dogs[0]));
  writeFileSync(join(src, 'dog', 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  copyFileSync(join(PETS, 'cats', cats[3]), join(src, 'cat', 'copy-of-a-cat.jpg'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('studio CLI', () => {
  it('imports a folder, reports every bad file and exits 0', async () => {
    const r = await cli(['import', src, '--workspace', ws, '--dataset', 'pets']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Imported 20 of 24 files/);
    expect(r.out).toMatch(/classes: cat, dog/);
    expect(r.out).toMatch(/empty\.jpg/);
    expect(r.out).toMatch(/notes\.jpg/);
    expect(r.out).toMatch(/truncated\.jpg/);
    expect(r.out).toMatch(/duplicate.*copy-of-a-cat\.jpg|copy-of-a-cat\.jpg.*duplicate/);
  });

  it('splits, snapshots, exports chat JSONL and lists', async () => {
    expect((await cli(['split', '--workspace', ws, '--dataset', 'pets', '--ratios', '0.8,0.1,0.1', '--seed', '23'])).code).toBe(0);
    const snap = await cli(['snapshot', '--workspace', ws, '--dataset', 'pets', '--name', 'v1']);
    expect(snap.code).toBe(0);
    expect(snap.out).toMatch(/20 samples/);
    const dest = join(root, 'export');
    const exp = await cli(['export', '--workspace', ws, '--dataset', 'pets', '--version', 'v1', '--out', dest]);
    expect(exp.code).toBe(0);
    const train = readFileSync(join(dest, 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(train.length).toBe(16);
    for (const line of train) {
      const answer = line.messages.at(-1);
      expect(answer.role).toBe('assistant');
      expect(['cat', 'dog']).toContain(answer.content[0].text);
    }
    const list = await cli(['list', '--workspace', ws]);
    expect(list.out).toMatch(/pets .*20 active/);
    expect(list.out).toMatch(/v1 +20 samples \(train 16, val 2, test 2\)/);
  });

  it('fails clearly on usage errors', async () => {
    const r = await cli(['snapshot', '--workspace', ws, '--dataset', 'nope', '--name', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no dataset named "nope"/);
    const missing = await cli(['import', join(root, 'does-not-exist'), '--workspace', ws]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/does-not-exist/);
  });
});
