/** Every server-state query key in one place, nested so one change event invalidates exactly the keys it affects. */
export const queryKeys = {
  workspace: ['workspace'] as const,
  datasets: ['datasets'] as const,
  /** Prefix of everything that belongs to one dataset (classes, versions, undo state, sample pages, reports). */
  dataset: (datasetId: number) => ['dataset', datasetId] as const,
  classes: (datasetId: number) => ['dataset', datasetId, 'classes'] as const,
  versions: (datasetId: number) => ['dataset', datasetId, 'versions'] as const,
  undo: (datasetId: number) => ['dataset', datasetId, 'undo'] as const,
  samples: (datasetId: number) => ['dataset', datasetId, 'samples'] as const,
  samplePage: (datasetId: number, query: string, offset: number) => ['dataset', datasetId, 'samples', query, offset] as const,
  importReports: (datasetId: number) => ['dataset', datasetId, 'import-reports'] as const,
  /** Finder runs and review queues live under their dataset: a review edit or a finished run invalidates them. */
  finderRuns: (datasetId: number) => ['dataset', datasetId, 'finder-runs'] as const,
  finderSuspects: (datasetId: number, runId: number) => ['dataset', datasetId, 'finder-suspects', runId] as const,
  /** The overlay finder's keyword rules (changed only by saving them, which puts main's answer here). */
  finderKeywordRules: (datasetId: number) => ['dataset', datasetId, 'finder-keyword-rules'] as const,
  history: (datasetId: number) => ['dataset', datasetId, 'history'] as const,
  /** Versions are immutable: a diff never goes stale. */
  versionDiff: (fromId: number, toId: number) => ['version-diff', fromId, toId] as const,
  /** A snapshot split's samples offered by the quick try's picker (immutable like the snapshot). */
  versionSplitSamples: (versionId: number, split: string) => ['version-split-samples', versionId, split] as const,
  jobs: ['jobs'] as const,
  jobReport: (jobId: string) => ['job-report', jobId] as const,
  models: ['models'] as const,
  devices: ['devices'] as const,
  /** Secret names set and the backend (never values); replaced by each secrets:set/delete answer. */
  secrets: ['secrets'] as const,
  hosts: ['hosts'] as const,
  /** Prefix of every eval query: eval jobs invalidate it as a whole. */
  evals: ['evals'] as const,
  evalRuns: (datasetId: number) => ['evals', 'runs', datasetId] as const,
  evalRun: (runId: number) => ['evals', 'run', runId] as const,
  evalSamples: (runId: number) => ['evals', 'samples', runId] as const,
  evalSamplePage: (runId: number, query: string, offset: number) => ['evals', 'samples', runId, query, offset] as const,
  evalCompare: (aId: number, bId: number) => ['evals', 'compare', aId, bId] as const,
  prompts: (datasetId: number) => ['evals', 'prompts', datasetId] as const,
  /** Prompt × model matrices: under evals, so the cells' eval jobs refresh them. */
  evalBatches: (datasetId: number) => ['evals', 'batches', datasetId] as const,
  evalBatch: (batchId: number) => ['evals', 'batch', batchId] as const,
  /** Under evals: eval and robustness-derive jobs refresh the table. */
  robustness: (versionId: number) => ['evals', 'robustness', versionId] as const,
  /** Under evals: a classifier run's OOD mass grows while its eval job runs. */
  evalOod: (runId: number) => ['evals', 'ood', runId] as const,
  /** Saved class mappings (changed only by the editor, which refreshes them). */
  classMappings: ['class-mappings'] as const,
  /** A classifier's labels.txt, under models: a removed model drops it. */
  modelLabels: (modelId: number) => ['models', 'labels', modelId] as const,
  /** Prefix of every fine-tune query: finetune jobs invalidate it as a whole. */
  finetunes: ['finetunes'] as const,
  finetuneList: ['finetunes', 'list'] as const,
  finetune: (jobId: string) => ['finetunes', 'job', jobId] as const,
  finetuneMetrics: (jobId: string) => ['finetunes', 'metrics', jobId] as const,
  finetuneLog: (jobId: string) => ['finetunes', 'log', jobId] as const,
  /** Under models: a registered or removed model changes the answer; a fine-tune's progress events do not. */
  finetuneValidation: (specJson: string) => ['models', 'finetune-validate', specJson] as const,
};
