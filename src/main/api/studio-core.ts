/** Assembles the core services of one open workspace into the handler table every transport dispatches to. */
import { readFileSync } from 'node:fs';
import { StudioEventBus } from './event-bus';
import type { Handlers } from './handler-types';
import type { Workspace } from '../workspace/workspace';
import { schemaVersion } from '../db/migrate';
import { JobManager } from '../jobs/job-manager';
import { FinetuneEvaluator } from '../finetunes/finetune-evaluation';
import { createDataset, deleteDataset, listDatasets, renameDataset } from '../datasets/dataset-service';
import { addClass, listClasses, renameClass, reorderClasses } from '../datasets/class-service';
import { getSample, idsInView, pageSamples } from '../datasets/sample-query';
import { applyEdit, listChanges, redo, undo, undoState } from '../datasets/sample-edits';
import { checkEditSource } from '../evals/edit-source';
import { assignSplits } from '../splits/stratified-split';
import { createVersion, listVersions } from '../versions/snapshot';
import { diffVersions } from '../versions/version-diff';
import { listImportReports } from '../imports/import-reports';
import { createEvalHandlers } from './eval-handlers';
import { createEvalBatchHandlers } from './eval-batch-handlers';
import { createRuntimeHandlers } from './runtime-handlers';
import { createFinetuneHandlers } from './finetune-handlers';
import { createHostHandlers } from './host-handlers';
import { createSecretHandlers } from './secret-handlers';
import { memorySecretStore } from '../secrets/memory-secret-store';
import { SecretLookup } from '../secrets/secret-lookup';
import type { SecretStore } from '../secrets/secret-store';
import { createRobustnessHandlers } from './robustness-handlers';
import { createCascadeHandlers } from './cascade-handlers';
import { createFinderHandlers } from './finder-handlers';
import { createClassMappingHandlers } from './class-mapping-handlers';
import { createPromptHandlers } from './prompt-handlers';
import { verifyStore } from '../images/store-verify';
import { checkExportDestination, checkImportSource } from './path-checks';

export interface StudioCore {
  workspace: Workspace;
  handlers: Handlers;
  bus: StudioEventBus;
  jobs: JobManager;
  /** Evaluates finished fine-tunes against their base (started with the JobManager). */
  finetuneEvals: FinetuneEvaluator;
  /** Secrets for jobs (per-job memory, then the store, then STUDIO_SECRET_*). */
  secrets: SecretLookup;
  close(): Promise<void>;
}

export interface StudioCoreOptions {
  /** Where secrets are kept; opened by the host (Electron safeStorage, the OS keyring). Default: memory only, saying why. */
  secrets?: SecretStore;
}

const APP_VERSION = readAppVersion();

function readAppVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

export function createStudioCore(workspace: Workspace, host: 'electron' | 'browser' = 'browser', options: StudioCoreOptions = {}): StudioCore {
  const { db } = workspace;
  const bus = new StudioEventBus();
  const secrets = new SecretLookup(options.secrets ?? memorySecretStore('this studio process was started without a keychain (embedded use)'));
  // Two at a time, so a long eval does not hold up an import or an export.
  const jobs = new JobManager({ workspaceRoot: workspace.root, bus, db, maxConcurrent: 2, secret: (name) => secrets.get(name) });
  const finetuneEvals = new FinetuneEvaluator({ db, jobs, bus });
  finetuneEvals.start();
  const changed = (datasetId: number, reason: string) => bus.emit('dataset:changed', { datasetId, reason });

  const handlers: Handlers = {
    'workspace:info': () => ({ path: workspace.root, appVersion: APP_VERSION, schemaVersion: schemaVersion(db), host }),
    'datasets:list': () => listDatasets(db),
    'datasets:create': ({ name }) => createDataset(db, name),
    'datasets:rename': ({ datasetId, name }) => renameDataset(db, datasetId, name),
    'datasets:delete': ({ datasetId }) => {
      deleteDataset(db, datasetId);
      changed(datasetId, 'deleted');
      return { deleted: true };
    },
    'datasets:import': (req) => ({ jobId: jobs.start('import', req) }),
    'datasets:checkImportSource': ({ source, format }) => checkImportSource(source, format),
    'datasets:importReports': ({ datasetId }) => listImportReports(db, datasetId),
    'datasets:verifyStore': ({ datasetId }) => verifyStore(workspace, datasetId),
    'classes:list': ({ datasetId }) => listClasses(db, datasetId),
    'classes:add': ({ datasetId, name }) => {
      addClass(db, datasetId, name);
      changed(datasetId, 'classes');
      return listClasses(db, datasetId);
    },
    'classes:rename': ({ datasetId, classId, name }) => {
      renameClass(db, datasetId, classId, name);
      changed(datasetId, 'classes');
      return listClasses(db, datasetId);
    },
    'classes:reorder': ({ datasetId, classIds }) => {
      reorderClasses(db, datasetId, classIds);
      changed(datasetId, 'classes');
      return listClasses(db, datasetId);
    },
    'samples:page': (req) => pageSamples(db, req),
    'samples:get': ({ sampleId }) => getSample(db, sampleId),
    'samples:idsInView': ({ filter }) => idsInView(db, filter),
    'samples:edit': ({ datasetId, edit, source }) => {
      if (source) checkEditSource(db, datasetId, source);
      const result = applyEdit(db, datasetId, edit, 'user', source ?? null);
      if (result.change) changed(datasetId, 'edit');
      return result;
    },
    'history:undo': ({ datasetId }) => {
      const result = undo(db, datasetId);
      if (result.change) changed(datasetId, 'undo');
      return result;
    },
    'history:redo': ({ datasetId }) => {
      const result = redo(db, datasetId);
      if (result.change) changed(datasetId, 'redo');
      return result;
    },
    'history:state': ({ datasetId }) => undoState(db, datasetId),
    'history:list': ({ datasetId, limit }) => listChanges(db, datasetId, limit),
    'splits:assign': (req) => {
      const result = assignSplits(db, req);
      changed(req.datasetId, 'split');
      return result;
    },
    'versions:list': ({ datasetId }) => listVersions(db, datasetId),
    'versions:create': ({ datasetId, name, note }) => {
      const version = createVersion(db, datasetId, name, note);
      changed(datasetId, 'version');
      return version;
    },
    'versions:diff': ({ fromId, toId }) => diffVersions(db, fromId, toId),
    'versions:export': (req) => ({ jobId: jobs.start('export', req) }),
    'versions:checkExportDestination': ({ destination }) => checkExportDestination(destination),
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ jobId }) => jobs.get(jobId),
    'jobs:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    ...createEvalHandlers(workspace, jobs),
    ...createEvalBatchHandlers(workspace, jobs),
    ...createRuntimeHandlers(jobs),
    ...createFinetuneHandlers(workspace, jobs),
    ...createHostHandlers(workspace),
    ...createSecretHandlers(secrets),
    ...createRobustnessHandlers(workspace, jobs),
    ...createFinderHandlers(workspace, jobs, bus),
    ...createClassMappingHandlers(workspace, bus),
    ...createCascadeHandlers(workspace),
    ...createPromptHandlers(workspace, jobs),
  };

  return {
    workspace,
    handlers,
    bus,
    jobs,
    finetuneEvals,
    secrets,
    close: async () => {
      // Stop the evaluator first, so the eval jobs the JobManager interrupts are resumed at the next start, not marked failed.
      const evals = finetuneEvals.close();
      await jobs.close();
      await evals;
      workspace.close();
    },
  };
}
