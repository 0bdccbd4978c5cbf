/** Handlers for versioned prompts, the New eval form's remembered settings and quick tries (a 'prompt-try' job). */
import type { Handlers } from './handler-types';
import type { Workspace } from '../workspace/workspace';
import type { JobManager } from '../jobs/job-manager';
import { getPrompt, getPromptVersion, listPromptVersions, listPrompts, savePromptVersion } from '../prompts/prompt-store';
import { loadEvalFormSettings, saveEvalFormSettings } from '../prompts/eval-form-settings';
import { planPromptTry, promptTryPickables } from '../prompts/prompt-try-plan';

type PromptChannel = Extract<keyof Handlers, `prompts:${string}`>;

export function createPromptHandlers(workspace: Workspace, jobs: JobManager): Pick<Handlers, PromptChannel> {
  const { db } = workspace;
  return {
    'prompts:list': () => listPrompts(db),
    'prompts:get': ({ promptId }) => getPrompt(db, promptId),
    'prompts:versions': ({ includeAdHoc }) => listPromptVersions(db, { includeAdHoc }),
    'prompts:version': ({ versionId }) => getPromptVersion(db, versionId),
    'prompts:save': (params) => savePromptVersion(db, params),
    'prompts:formSettings': ({ datasetId }) => loadEvalFormSettings(db, datasetId),
    'prompts:saveFormSettings': ({ datasetId, settings }) => {
      saveEvalFormSettings(db, datasetId, settings);
      return { saved: true };
    },
    'prompts:try': (req) => ({ jobId: jobs.start('prompt-try', planPromptTry(db, req)) }),
    'prompts:trySamples': ({ versionId, split }) => promptTryPickables(db, versionId, split),
  };
}
