/** Imports the bundled sample project into an empty workspace so a first launch shows real data at once. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudioCore } from '../api/studio-core';
import type { JobInfo } from '../../shared/jobs';

export const SAMPLE_DATASET_NAME = 'Sample: cats vs dogs';

/** Finds resources/sample-project/pets from the source tree, the electron-vite bundle or a packaged app. */
export function findSampleProject(): string {
  const candidates: string[] = [];
  if (process.env.STUDIO_RESOURCES) candidates.push(process.env.STUDIO_RESOURCES);
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'resources'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'resources'));
    dir = dirname(dir);
  }
  for (const c of candidates) {
    const pets = join(c, 'sample-project', 'pets');
    if (existsSync(pets)) return resolve(pets);
  }
  throw new Error(`Bundled sample project not found (looked in: ${candidates.join(', ')})`);
}

/** Starts importing the sample when the workspace has no dataset yet; returns the job id or null. */
export function seedSampleProject(core: StudioCore): string | null {
  const datasets = core.handlers['datasets:list']({}) as ReturnType<typeof core.handlers['datasets:list']>;
  if (Array.isArray(datasets) && datasets.length > 0) return null;
  return core.jobs.start('import', { source: findSampleProject(), format: 'imagefolder', datasetName: SAMPLE_DATASET_NAME });
}

/** Resolves when a job reaches a final state (used by tests, the CLI and first-launch seeding). */
export function waitForJob(core: StudioCore, jobId: string): Promise<JobInfo> {
  return new Promise((resolveJob) => {
    const check = (): boolean => {
      const info = core.jobs.get(jobId);
      if (info.status === 'done' || info.status === 'failed' || info.status === 'cancelled') {
        off();
        resolveJob(info);
        return true;
      }
      return false;
    };
    const off = core.bus.on('jobs:changed', (job) => {
      if (job.id === jobId) check();
    });
    check();
  });
}
