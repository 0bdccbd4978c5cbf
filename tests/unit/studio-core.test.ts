/** The assembled core (handlers + bus + worker jobs) on a real workspace: sample seeding, events, store verification. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { SAMPLE_DATASET_NAME, seedSampleProject, waitForJob } from '../../src/main/sample/seed-sample';
import { imagePath } from '../../src/main/workspace/workspace';
import type { DatasetSummary, Sample } from '../../src/shared/domain';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

let tw: TempWorkspace;
let core: StudioCore;

beforeAll(() => {
  tw = makeTempWorkspace('vcs-core-');
  core = createStudioCore(tw.ws);
});

afterAll(async () => {
  await core.jobs.close();
  tw.cleanup();
});

describe('studio core', () => {
  it('seeds the bundled sample project into an empty workspace, with progress and change events', async () => {
    const progress: number[] = [];
    const changed: string[] = [];
    core.bus.on('jobs:progress', (p) => progress.push(p.value));
    core.bus.on('dataset:changed', (e) => changed.push(e.reason));
    const jobId = seedSampleProject(core);
    expect(jobId).not.toBeNull();
    const job = await waitForJob(core, jobId as string);
    expect(job.status, job.error ?? '').toBe('done');
    const datasets = (await core.handlers['datasets:list']({})) as DatasetSummary[];
    expect(datasets.map((d) => d.name)).toEqual([SAMPLE_DATASET_NAME]);
    expect(datasets[0].activeCount).toBe(42);
    expect(progress.at(-1)).toBe(1);
    expect(changed).toContain('import finished');
    // A second launch does not import it again.
    expect(seedSampleProject(core)).toBeNull();
  });

  it('reports originals that vanished from the store instead of failing', async () => {
    const [dataset] = (await core.handlers['datasets:list']({})) as DatasetSummary[];
    const clean = await core.handlers['datasets:verifyStore']({ datasetId: dataset.id });
    expect(clean).toMatchObject({ checked: 42, missingOriginals: [] });
    const page = await core.handlers['samples:page']({ filter: { datasetId: dataset.id }, offset: 0, limit: 1 });
    const sample = page.rows[0] as Sample;
    rmSync(imagePath(tw.ws, sample.imageHash, sample.format === 'jpeg' ? 'jpg' : sample.format));
    const report = await core.handlers['datasets:verifyStore']({ datasetId: dataset.id });
    expect(report.missingOriginals).toHaveLength(1);
    expect(report.missingOriginals[0]).toMatchObject({ sampleIds: [sample.id], originalPath: sample.originalPath });
  });
});
