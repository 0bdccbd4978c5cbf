/** E2E setup for the evals spec: a real imported, split and snapshotted cats-vs-dogs dataset created through the handlers. */
import { createDispatcher, type Dispatch } from '../../../src/main/api/dispatch';
import type { StudioCore } from '../../../src/main/api/studio-core';
import type { DatasetSummary, DatasetVersion } from '../../../src/shared/domain';

export interface SeededPets {
  call: Dispatch;
  dataset: DatasetSummary;
  version: DatasetVersion;
}

/** Imports the folder as dataset "pets" (a real job), splits 50/0/50 with seed 7 and snapshots "v1". */
export async function seedPets(core: StudioCore, source: string): Promise<SeededPets> {
  const call = createDispatcher(core.handlers);
  const { jobId } = (await call('datasets:import', { source, format: 'imagefolder', datasetName: 'pets' })) as { jobId: string };
  const job = await core.jobs.wait(jobId);
  if (job.status !== 'done') throw new Error(`import ended as ${job.status}: ${job.error ?? ''}`);
  const dataset = ((await call('datasets:list', {})) as DatasetSummary[]).find((d) => d.name === 'pets');
  if (!dataset) throw new Error('imported dataset "pets" not found');
  await call('splits:assign', { datasetId: dataset.id, seed: 7, ratios: { train: 0.5, val: 0, test: 0.5 } });
  const version = (await call('versions:create', { datasetId: dataset.id, name: 'v1', note: 'e2e evals' })) as DatasetVersion;
  return { call, dataset, version };
}
