/** Handlers for robustness splits (derivation and the evals run as jobs). */
import type { Handlers } from './handler-types';
import type { JobManager } from '../jobs/job-manager';
import type { Workspace } from '../workspace/workspace';
import { isLiveJobStatus } from '../../shared/jobs';
import { StudioError } from '../errors';
import { liveClaimant } from '../evals/eval-claim';
import { getVersion } from '../versions/snapshot';
import { isDerivedVersion, robustnessReport } from '../robustness/derived-store';
import { createRobustnessRuns } from '../robustness/robustness-evals';

type RobustnessChannel = Extract<keyof Handlers, `robustness:${string}`>;

export function createRobustnessHandlers(workspace: Workspace, jobs: JobManager): Pick<Handlers, RobustnessChannel> {
  const { db } = workspace;
  /** Derivation jobs this process started, by source version: a second start while one is live is refused. */
  const deriving = new Map<number, string>();
  return {
    'robustness:derive': ({ versionId, seed }) => {
      const version = getVersion(db, versionId);
      if (isDerivedVersion(db, versionId)) throw new StudioError('invalid-args', `"${version.name}" is itself a robustness split`);
      const live = deriving.get(versionId);
      if (live !== undefined && isLiveJobStatus(jobs.get(live).status)) {
        throw new StudioError('conflict', `robustness splits of "${version.name}" are already being derived (job ${live})`);
      }
      const jobId = jobs.start('robustness-derive', { versionId, seed });
      deriving.set(versionId, jobId);
      return { jobId };
    },
    'robustness:report': ({ versionId }) => robustnessReport(db, versionId),
    'robustness:evaluate': async ({ templateRunId }) => {
      const runs = await createRobustnessRuns(db, templateRunId);
      const jobIds: string[] = [];
      for (const run of runs) {
        if (run.status === 'done' || jobs.activeFor({ kind: 'eval-run', id: run.id }) !== null || liveClaimant(db, run.id) !== null) continue;
        jobIds.push(jobs.start('eval', { runId: run.id }));
      }
      return { runIds: runs.map((r) => r.id), jobIds };
    },
  };
}
