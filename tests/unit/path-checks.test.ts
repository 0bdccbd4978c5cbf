/** The path-check channels, through the real dispatcher and handler table on real folders and files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import type { PathCheck } from '../../src/shared/path-check';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

let tw: TempWorkspace;
let core: StudioCore;
let call: ReturnType<typeof createDispatcher>;
let dir: string;

const importCheck = async (source: string, format = 'auto') => (await call('datasets:checkImportSource', { source, format })) as PathCheck;
const exportCheck = async (destination: string) => (await call('versions:checkExportDestination', { destination })) as PathCheck;

beforeAll(() => {
  tw = makeTempWorkspace('vcs-path-checks-');
  core = createStudioCore(tw.ws);
  call = createDispatcher(core.handlers);
  dir = join(tw.root, 'fixtures');
  mkdirSync(join(dir, 'pets', 'cats'), { recursive: true });
  mkdirSync(join(dir, 'pets', 'dogs'));
  writeFileSync(join(dir, 'pets', 'cats', 'a.jpg'), 'x');
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'flat'));
  writeFileSync(join(dir, 'flat', 'a.jpg'), 'x');
  writeFileSync(join(dir, 'labels.csv'), 'path,label\ncats/a.jpg,cat\n');
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  mkdirSync(join(dir, 'full-export'));
  writeFileSync(join(dir, 'full-export', 'old.jsonl'), '{}\n');
});

afterAll(async () => {
  await core.close();
  tw.cleanup();
});

describe('datasets:checkImportSource', () => {
  it('accepts a class-per-folder tree and a CSV manifest, saying what it found', async () => {
    expect(await importCheck(join(dir, 'pets'))).toMatchObject({ ok: true, message: 'Folder with 2 class sub-folders' });
    expect(await importCheck(join(dir, 'labels.csv'))).toMatchObject({ ok: true, message: expect.stringContaining('CSV manifest') });
    expect(await importCheck(join(dir, 'flat'))).toMatchObject({ ok: true, message: expect.stringContaining('imported unlabelled') });
  });

  it('refuses a missing path, an empty folder, a non-manifest file and a format mismatch', async () => {
    expect(await importCheck(join(dir, 'nope'))).toMatchObject({ ok: false, message: expect.stringContaining('Nothing exists at') });
    expect(await importCheck(join(dir, 'empty'))).toMatchObject({ ok: false, message: expect.stringContaining('is empty') });
    expect(await importCheck(join(dir, 'notes.txt'))).toMatchObject({ ok: false, message: expect.stringContaining('Cannot tell the import format') });
    expect(await importCheck(join(dir, 'labels.csv'), 'imagefolder')).toMatchObject({ ok: false, message: expect.stringContaining('needs a folder') });
    expect(await importCheck(join(dir, 'pets'), 'jsonl')).toMatchObject({ ok: false, message: expect.stringContaining('needs a .jsonl manifest') });
  });

  it('validates its arguments with the contract schema', async () => {
    await expect(call('datasets:checkImportSource', { source: '', format: 'auto' })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('datasets:checkImportSource', { source: '/x', format: 'zip' })).rejects.toMatchObject({ code: 'invalid-args' });
  });
});

describe('versions:checkExportDestination', () => {
  it('accepts an absent folder (even a nested one) and an empty one', async () => {
    expect(await exportCheck(join(dir, 'new', 'deeper'))).toMatchObject({ ok: true, message: expect.stringContaining('New folder') });
    expect(await exportCheck(join(dir, 'empty'))).toMatchObject({ ok: true, message: expect.stringContaining('Empty folder') });
  });

  it('refuses a non-empty folder, a file, and a path below a file', async () => {
    expect(await exportCheck(join(dir, 'full-export'))).toMatchObject({ ok: false, message: expect.stringContaining('is not empty (1 item)') });
    expect(await exportCheck(join(dir, 'notes.txt'))).toMatchObject({ ok: false, message: expect.stringContaining('is not a folder') });
    expect(await exportCheck(join(dir, 'notes.txt', 'out'))).toMatchObject({ ok: false, message: expect.stringContaining('is a file') });
  });
});
