/** One label rule everywhere: the API's class channels, the core class service, manifest rows, ImageFolder class folders and the eval YAML's label_mapping. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channels } from '../../src/shared/ipc-contract';
import { labelProblem } from '../../src/shared/label-rule';
import { addClass } from '../../src/main/datasets/class-service';
import { createDataset } from '../../src/main/datasets/dataset-service';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { runImport } from '../../src/main/imports/import-runner';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

afterEach(cleanupTempDirs);

const LONG = 'x'.repeat(5000);
const BAD: [string, string, RegExp][] = [
  ['5,000 characters', LONG, /longer than 200 characters/],
  ['NUL', 'ca\u0000t', /control character U\+0000/],
  ['right-to-left override', 'dog\u202Egnp.exe', /bidirectional control U\+202E/],
  ['line break', 'li\nne', /control character U\+000A/],
  ['blank', '   ', /empty/],
];

describe('labelProblem', () => {
  it.each(BAD)('refuses a label with %s', (_name, label, reason) => {
    expect(labelProblem(label)).toMatch(reason);
  });
  it('accepts ordinary labels, also non-Latin and with inner spaces', () => {
    for (const l of ['cat', 'Golden Retriever', 'a/b', 'кошка', '猫', 'x'.repeat(200)]) expect(labelProblem(l)).toBeNull();
  });
});

describe('the rule is applied everywhere', () => {
  it('API class channels and the core class service refuse the same labels', () => {
    for (const [, label] of BAD) {
      expect(channels['classes:add'].args.safeParse({ datasetId: 1, name: label }).success).toBe(false);
      expect(channels['classes:rename'].args.safeParse({ datasetId: 1, classId: 1, name: label }).success).toBe(false);
    }
    const ws = tempWorkspace();
    const ds = createDataset(ws.db, 'd');
    expect(() => addClass(ws.db, ds.id, 'ca\u0000t')).toThrow(/control character U\+0000/);
  });

  it('manifest rows with bad labels become bad-label issues with the reason; good rows import', async () => {
    const src = makeTempDir('vcs-src-');
    const [a, b, c, d] = copyPets('cats', 4, src);
    const rows = [
      { path: a, label: 'cat' },
      { path: b, label: LONG },
      { path: c, label: 'ca\u0000t' },
      { path: d, label: 'dog\u202Egnp.exe' },
    ];
    writeFileSync(join(src, 'm.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const report = await runImport(tempWorkspace(), { source: join(src, 'm.jsonl'), format: 'jsonl', datasetName: 'labels' });
    expect(report.imported).toBe(1);
    expect(report.classes).toEqual(['cat']);
    expect(report.issues.map((i) => [i.path, i.reason])).toEqual([
      [`${join(src, 'm.jsonl')}:2`, 'bad-label'],
      [`${join(src, 'm.jsonl')}:3`, 'bad-label'],
      [`${join(src, 'm.jsonl')}:4`, 'bad-label'],
    ]);
    expect(report.issues[0].detail).toMatch(/^line 2: label refused: .*longer than 200 characters/);
    expect(report.issues[2].detail).toMatch(/bidirectional control U\+202E/);
  });

  it('ImageFolder class folders with a bad name: their files are bad-label issues', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, join(src, 'cat'));
    const badDir = join(src, 'dog\u202Egnp');
    mkdirSync(badDir);
    copyPets('dogs', 1, badDir);
    const report = await runImport(tempWorkspace(), { source: src, format: 'imagefolder', datasetName: 'f' });
    expect(report.imported).toBe(1);
    expect(report.classes).toEqual(['cat']);
    expect(report.issues.map((i) => i.reason)).toEqual(['bad-label']);
    expect(report.issues[0].detail).toMatch(/class folder name refused: .*U\+202E/);
  });

  it('eval YAML label_mapping refuses the same labels', () => {
    const yaml = (label: string): string => `model: m\ndataset: d\nlabel_mapping:\n  0: cat\n  1: ${JSON.stringify(label)}\n`;
    expect(parseEvalConfig(yaml('dog')).labels).toEqual(['cat', 'dog']);
    expect(() => parseEvalConfig(yaml('do\u0000g'))).toThrow(/label_mapping\.1: .*control character U\+0000/);
    expect(() => parseEvalConfig(yaml(LONG))).toThrow(/label_mapping\.1: .*longer than 200 characters/);
  });
});
