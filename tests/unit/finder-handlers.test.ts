/** Finders through the real handler table + dispatcher + worker-thread `find` jobs: runs, queues, review actions audited with their source. */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { runImport } from '../../src/main/imports/import-runner';
import { runFinder } from '../../src/main/finders/run-finder';
import { abandonFinderRuns, createRun, getRun } from '../../src/main/finders/finder-store';
import type { FinderRun, SuspectView } from '../../src/shared/finder-runs';
import { FINDER_NAMES } from '../../src/shared/finder-types';
import type { ChangeRecord, ClassInfo, EditResult, Sample } from '../../src/shared/domain';
import { main as cli } from '../../src/main/cli/index';
import { makeCopy, seeded } from '../fixtures/near-duplicates';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
let datasetId: number;
let wsRoot: string;

beforeAll(async () => {
  const src = makeTempDir('vcs-finder-h-');
  const cats = copyPets('cats', 8, join(src, 'cat'));
  copyPets('dogs', 8, join(src, 'dog'));
  const rand = seeded(3);
  await makeCopy(cats[0], join(src, 'dog'), 'resized', rand); // a cat photo filed as a dog: cross-class
  await makeCopy(cats[0], join(src, 'cat'), 'recompressed', rand);
  await sharp(cats[1]).blur(14).jpeg().toFile(join(src, 'cat', 'blurred.jpg'));
  const ws = tempWorkspace();
  wsRoot = ws.root;
  datasetId = (await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' }, {})).datasetId;
  core = createStudioCore(ws);
  call = createDispatcher(core.handlers);
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  cleanupTempDirs();
});

async function finish(finder: string, options: Record<string, unknown> = {}): Promise<FinderRun> {
  const { jobId } = (await call('finders:start', { finder, datasetId, options })) as { jobId: string };
  const job = await core.jobs.wait(jobId);
  expect(job.status, job.error ?? '').toBe('done');
  const runId = (job.result as { runId: number }).runId;
  return ((await call('finders:suspects', { runId })) as { run: FinderRun }).run;
}

const suspectsOf = async (runId: number): Promise<SuspectView[]> => ((await call('finders:suspects', { runId })) as { suspects: SuspectView[] }).suspects;
const history = async (): Promise<ChangeRecord[]> => (await call('history:list', { datasetId, limit: 20 })) as ChangeRecord[];

describe('finder handlers', () => {
  it('runs duplicates as a worker job; "keep one" drops the group mates with the run as the audit source', async () => {
    const run = await finish('duplicates');
    expect(run.status).toBe('done');
    const suspects = await suspectsOf(run.id);
    // Group 1: the cat photo with its two copies (one filed as a dog); group 2: a photo with its heavily blurred copy.
    expect(suspects.map((s) => s.group)).toEqual([1, 1, 1, 2, 2]);
    expect(suspects.slice(3).some((s) => s.originalPath.endsWith('blurred.jpg'))).toBe(true);
    expect(suspects[0].reason).toMatch(/^cross-class near-duplicates/);
    const keeper = suspects.find((s) => s.detail.keep === true)!;
    const result = (await call('finders:review', { runId: run.id, action: { kind: 'keep-one', keepSampleId: keeper.sampleId } })) as EditResult;
    expect(result.change?.source).toBe(`finder:duplicates#${run.id}`);
    expect(result.change?.sampleCount).toBe(2);
    const after = (await suspectsOf(run.id)).filter((s) => s.group === 1);
    expect(after.map((s) => s.review).sort()).toEqual(['dropped', 'dropped', 'kept']);
    const dropped = (await call('samples:get', { sampleId: after.find((s) => s.review === 'dropped')!.sampleId })) as Sample;
    expect(dropped.status).toBe('dropped');
    expect(dropped.dropReason).toMatch(/^duplicate of /);
    expect((await history())[0].source).toBe(`finder:duplicates#${run.id}`);
    // The edit is an ordinary one: undo restores the samples and reopens the group's suspects; redo settles them again.
    await call('history:undo', { datasetId });
    expect(((await call('samples:get', { sampleId: dropped.id })) as Sample).status).toBe('active');
    const runsOf = async () => (await call('finders:runs', { datasetId })) as { runs: FinderRun[]; available: string[] };
    expect((await runsOf()).available).toEqual([...FINDER_NAMES]);
    expect((await runsOf()).runs[0].openCount).toBe(5);
    expect((await suspectsOf(run.id)).filter((s) => s.group === 1).map((s) => s.review)).toEqual(['open', 'open', 'open']);
    await call('history:redo', { datasetId });
    expect((await suspectsOf(run.id)).filter((s) => s.group === 1).map((s) => s.review).sort()).toEqual(['dropped', 'dropped', 'kept']);
    expect((await runsOf()).runs[0].openCount).toBe(2);
    await call('history:undo', { datasetId });
    // Dropping one of a pair settles the group: the last open member counts as kept.
    const pair = (await suspectsOf(run.id)).filter((s) => s.group === 2);
    const original = pair.find((s) => !s.originalPath.endsWith('blurred.jpg'))!;
    await call('finders:review', { runId: run.id, action: { kind: 'drop', sampleIds: [original.sampleId], reason: 'duplicate' } });
    const settled = (await suspectsOf(run.id)).filter((s) => s.group === 2).map((s) => [s.originalPath.endsWith('blurred.jpg'), s.review]);
    expect(settled.sort()).toEqual([
      [false, 'dropped'],
      [true, 'kept'],
    ]);
  });

  it('quality queue: drop with reason and relabel are audited; keep only marks the suspect', async () => {
    const run = await finish('quality', { minLaplacianVar: 60 });
    const suspects = await suspectsOf(run.id);
    const blurred = suspects.find((s) => s.originalPath.endsWith('blurred.jpg'))!;
    expect(blurred.reason).toMatch(/blurry/);
    expect((run.stats as { metrics: Record<string, number[]> }).metrics.laplacianVar.length).toBe(run.sampleCount);
    const drop = (await call('finders:review', { runId: run.id, action: { kind: 'drop', sampleIds: [blurred.sampleId], reason: 'blurry' } })) as EditResult;
    expect(drop.change?.source).toBe(`finder:quality#${run.id}`);
    expect(drop.change?.summary).toBe('Drop 1 sample (blurry)');
    const classes = (await call('classes:list', { datasetId })) as ClassInfo[];
    const dog = classes.find((c) => c.name === 'dog')!;
    const relabel = (await call('finders:review', { runId: run.id, action: { kind: 'relabel', sampleIds: [blurred.sampleId], classId: dog.id } })) as EditResult;
    expect(relabel.change?.action).toBe('relabel');
    const kept = (await call('finders:review', { runId: run.id, action: { kind: 'keep', sampleIds: [blurred.sampleId] } })) as EditResult;
    expect(kept.change).toBeNull();
    expect((await suspectsOf(run.id)).find((s) => s.sampleId === blurred.sampleId)?.review).toBe('kept');
    const sources = (await history()).slice(0, 2).map((c) => c.source);
    expect(sources).toEqual([`finder:quality#${run.id}`, `finder:quality#${run.id}`]);
  });

  it('rejects bad options and samples that are not suspects; a finder that cannot run fails its job in plain words', async () => {
    await expect(call('finders:start', { finder: 'duplicates', datasetId, options: { radius: 99 } })).rejects.toThrow(/options\.radius/);
    await expect(call('finders:start', { finder: 'quality', datasetId, options: { nope: 1 } })).rejects.toThrow(/options/);
    const run = (await call('finders:runs', { datasetId })) as { runs: FinderRun[] };
    await expect(call('finders:review', { runId: run.runs[0].id, action: { kind: 'keep', sampleIds: [999_999] } })).rejects.toThrow(/not suspects/);
    await expect(call('finders:start', { finder: 'label-errors', datasetId, options: {} })).rejects.toThrow(/options\.runId/);
    const { jobId } = (await call('finders:start', { finder: 'label-errors', datasetId, options: { runId: 999_999 } })) as { jobId: string };
    const job = await core.jobs.wait(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/999999/);
  });

  it('a cancelled run is stored as cancelled with no queue', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runFinder(core.workspace, { finder: 'quality', datasetId, options: {} }, { signal: controller.signal });
    expect(result.cancelled).toBe(true);
    expect(getRun(core.workspace.db, result.runId).status).toBe('cancelled');
    // A job whose worker died mid-run leaves a 'running' run behind: the kind's onStopped closes it.
    const orphan = createRun(core.workspace.db, datasetId, 'quality', {}, 'job-x', 3);
    abandonFinderRuns(core.workspace.db, datasetId, 'quality', 'failed');
    expect(getRun(core.workspace.db, orphan)).toMatchObject({ status: 'failed', error: 'the finder job stopped before it finished' });
  });

  it('CLI: find duplicates prints one line per group with every member path; find quality one line per suspect', async () => {
    const lines: string[] = [];
    const errs: string[] = [];
    expect(await cli(['find', 'duplicates', '--workspace', wsRoot, '--dataset', 'pets'], (l) => lines.push(l), (l) => errs.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^duplicates run #\d+: 3 suspects$/); // the blurred copy was dropped above
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {3}1 {2}\S+\.jpg \[\w+\] \| \S+ \[\w+\] \| \S+ \[\w+\] {2}1\.\d{3} {2}cross-class near-duplicates/);
    lines.length = 0;
    expect(await cli(['find', 'quality', '--workspace', wsRoot, '--dataset', 'pets', '--top', '1', '--options', '{"minLaplacianVar":5000}'], (l) => lines.push(l), () => {})).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {3}1 {2}\S+ {2}\d+\.\d{3} {2}/);
    expect(await cli(['find', 'label-errors', '--workspace', wsRoot, '--dataset', 'pets', '--run', '999999'], () => {}, (l) => errs.push(l))).not.toBe(0);
    expect(errs.at(-1)).toMatch(/999999/);
    expect(await cli(['find', 'quality', '--workspace', wsRoot, '--dataset', 'pets', '--run', '3'], () => {}, (l) => errs.push(l))).toBe(2);
    expect(await cli(['find', 'nonsense', '--workspace', wsRoot, '--dataset', 'pets'], () => {}, (l) => errs.push(l))).toBe(2);
  });
});
