/** Handlers for the data-quality finders: runs are `find` jobs; review actions are audited sample edits. */
import { FINDER_NAMES } from '../../shared/finder-types';
import type { Handlers } from './handler-types';
import type { Workspace } from '../workspace/workspace';
import type { JobManager } from '../jobs/job-manager';
import type { StudioEventBus } from './event-bus';
import { requireDataset } from '../datasets/dataset-service';
import { getRun, listRuns, listSuspects } from '../finders/finder-store';
import { finderAvailable } from '../finders/registry';
import { reviewSuspects } from '../finders/review-suspects';
import { loadKeywordRules, saveKeywordRules } from '../finders/keyword-rules-store';

type FinderChannel = Extract<keyof Handlers, `finders:${string}`>;

export function createFinderHandlers(workspace: Workspace, jobs: JobManager, bus: StudioEventBus): Pick<Handlers, FinderChannel> {
  const { db } = workspace;
  return {
    'finders:start': (params) => {
      requireDataset(db, params.datasetId);
      return { jobId: jobs.start('find', params) };
    },
    'finders:runs': ({ datasetId }) => {
      requireDataset(db, datasetId);
      return { runs: listRuns(db, datasetId), available: FINDER_NAMES.filter(finderAvailable) };
    },
    'finders:suspects': ({ runId, review, limit }) => ({ run: getRun(db, runId), suspects: listSuspects(db, runId, review, limit) }),
    'finders:review': ({ runId, action }) => {
      const { datasetId, ...result } = reviewSuspects(db, runId, action);
      bus.emit('dataset:changed', { datasetId, reason: result.change ? 'edit' : 'review' });
      return result;
    },
    'finders:keywordRules': ({ datasetId }) => loadKeywordRules(db, datasetId),
    'finders:saveKeywordRules': ({ datasetId, keywords }) => saveKeywordRules(db, datasetId, keywords),
  };
}
