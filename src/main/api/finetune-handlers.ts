/** Handlers for fine-tunes: validation before any job, the finetune job (a detached process) and its resume from a checkpoint, and the seeds' YAML in and out. */
import type { Handlers } from './handler-types';
import type { JobManager } from '../jobs/job-manager';
import type { Workspace } from '../workspace/workspace';
import { exportFinetuneYaml, parseFinetuneYaml } from '../finetunes/finetune-yaml';
import { assertFinetuneValid, validateFinetune } from '../finetunes/finetune-validate';
import { getFinetuneJob, listFinetuneJobs } from '../finetunes/finetune-jobs';
import { assertResumable, resumeSpec, withResumeProblems } from '../finetunes/finetune-resume';
import { readLogChunk, readMetricRows } from '../finetunes/finetune-run-files';

type FinetuneChannel = Extract<keyof Handlers, `finetunes:${string}`>;

export function createFinetuneHandlers(workspace: Workspace, jobs: JobManager): Pick<Handlers, FinetuneChannel> {
  const { db } = workspace;
  return {
    'finetunes:validate': ({ spec, yaml }) => withResumeProblems(validateFinetune(db, spec, yaml === undefined ? [] : parseFinetuneYaml(yaml).warnings), db, workspace.root, spec),
    'finetunes:create': (spec) => {
      const validation = assertFinetuneValid(db, spec);
      assertResumable(db, workspace.root, spec);
      return { jobId: jobs.start('finetune', spec), validation };
    },
    'finetunes:resume': ({ jobId, backend }) => {
      const spec = resumeSpec(db, jobId, backend);
      assertFinetuneValid(db, spec);
      assertResumable(db, workspace.root, spec);
      return { jobId: jobs.start('finetune', spec) };
    },
    'finetunes:list': () => listFinetuneJobs(db, jobs, workspace.root),
    'finetunes:get': ({ jobId }) => getFinetuneJob(db, jobs, jobId, workspace.root),
    'finetunes:log': ({ jobId, offset }) => {
      getFinetuneJob(db, jobs, jobId, workspace.root);
      return readLogChunk(workspace.root, jobId, offset);
    },
    'finetunes:metrics': ({ jobId }) => {
      getFinetuneJob(db, jobs, jobId, workspace.root);
      return readMetricRows(workspace.root, jobId);
    },
    'finetunes:importYaml': ({ yaml }) => {
      const { source: _source, ...values } = parseFinetuneYaml(yaml);
      void _source;
      return values;
    },
    'finetunes:exportYaml': ({ source, ...values }) => ({ yaml: exportFinetuneYaml(values, source) }),
  };
}
