/**
 * Near-duplicate quality bound on real photos: oxford-pets-370 plus resized (50–90%), recompressed (JPEG q40–90) and
 * 5%-cropped copies of 50 of its photos; the duplicates finder's groups must reach pair precision ≥ 0.95 and recall ≥ 0.90.
 */
import { cpSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/main/imports/import-runner';
import { runFinder } from '../../src/main/finders/run-finder';
import { listSuspects } from '../../src/main/finders/finder-store';
import type { Workspace } from '../../src/main/workspace/workspace';
import { COPY_KINDS, makeCopy, seeded } from '../fixtures/near-duplicates';
import { OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

let ws: Workspace;
let datasetId: number;
/** Original file stem → the stems of its copies' files (the truth). */
const family = new Map<string, string>();

const stemOf = (path: string): string => basename(path).replace(/-(resized|recompressed|cropped)\.jpg$/, '').replace(/\.jpg$/, '');

beforeAll(async () => {
  const src = makeTempDir('vcs-dups-');
  cpSync(join(OXFORD_PETS, 'cats'), join(src, 'cat'), { recursive: true });
  cpSync(join(OXFORD_PETS, 'dogs'), join(src, 'dog'), { recursive: true });
  const rand = seeded(2026);
  const picks = [...assetFiles(join(OXFORD_PETS, 'cats'), 25).map((f) => ['cats', f]), ...assetFiles(join(OXFORD_PETS, 'dogs'), 25).map((f) => ['dogs', f])];
  for (const [i, [species, file]] of picks.entries()) {
    const label = species === 'cats' ? 'cat' : 'dog';
    // Every fifth photo's copies are filed under the other class: cross-class duplicates.
    const copyLabel = i % 5 === 0 ? (label === 'cat' ? 'dog' : 'cat') : label;
    for (const kind of COPY_KINDS) await makeCopy(join(OXFORD_PETS, species, file), join(src, copyLabel), kind, rand);
    family.set(stemOf(file), label);
  }
  ws = tempWorkspace();
  const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets-dups' }, {});
  datasetId = report.datasetId;
}, 300_000);

afterAll(cleanupTempDirs);

describe('duplicates finder on oxford-pets-370 + 150 near-copies', () => {
  it('finds the copy groups with pair precision ≥ 0.95 and recall ≥ 0.90, cross-class groups first', async () => {
    const result = await runFinder(ws, { finder: 'duplicates', datasetId, options: {} });
    expect(result.cancelled).toBe(false);
    const suspects = listSuspects(ws.db, result.runId);
    const groups = new Map<number, string[]>();
    for (const s of suspects) groups.set(s.group!, [...(groups.get(s.group!) ?? []), s.originalPath]);
    const pairKey = (a: string, b: string): string => [a, b].sort().join('|');
    const predicted = new Set<string>();
    for (const members of groups.values()) {
      for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) predicted.add(pairKey(members[i], members[j]));
    }
    // Truth: each original with its three copies (6 pairs per family), by file stem.
    const truth = new Set<string>();
    const all = ws.db.prepare('SELECT original_path AS p FROM samples WHERE dataset_id = ?').all(datasetId) as { p: string }[];
    const members = new Map<string, string[]>();
    for (const { p } of all) if (family.has(stemOf(p))) members.set(stemOf(p), [...(members.get(stemOf(p)) ?? []), p]);
    for (const list of members.values()) {
      expect(list).toHaveLength(4);
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) truth.add(pairKey(list[i], list[j]));
    }
    const hits = [...predicted].filter((p) => truth.has(p)).length;
    const precision = hits / predicted.size;
    const recall = hits / truth.size;
    console.log(`near-duplicates: ${groups.size} groups, ${predicted.size} pairs found, ${truth.size} true; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    expect(truth.size).toBe(300);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // Cross-class groups (10 families filed under both classes) come first.
    const crossFlags = [...groups.keys()].sort((a, b) => a - b).map((g) => suspects.find((s) => s.group === g)!.detail.crossClass === true);
    const firstSame = crossFlags.indexOf(false);
    expect(crossFlags.filter(Boolean).length).toBeGreaterThanOrEqual(10);
    expect(crossFlags.slice(firstSame).some(Boolean)).toBe(false);
    // The first member of each group is the suggested keeper (largest image).
    expect(suspects.find((s) => s.group === 1)!.detail.keep).toBe(true);
  });

  it('a second run reads the cached hashes and gives the same groups', async () => {
    const cached = (ws.db.prepare('SELECT COUNT(*) AS n FROM finder_image_hashes').get() as { n: number }).n;
    expect(cached).toBe(520);
    const a = await runFinder(ws, { finder: 'duplicates', datasetId, options: {} });
    const b = await runFinder(ws, { finder: 'duplicates', datasetId, options: { radius: 0 } });
    const first = listSuspects(ws.db, a.runId - 1).map((s) => [s.sampleId, s.group]);
    expect(listSuspects(ws.db, a.runId).map((s) => [s.sampleId, s.group])).toEqual(first);
    expect(b.suspectCount).toBeLessThan(a.suspectCount);
    await expect(runFinder(ws, { finder: 'duplicates', datasetId, options: { radius: 99 } })).rejects.toThrow(/radius/);
  });
});
