/**
 * The narrow domain API the renderer programs against (window.studio in Electron, an HTTP
 * client in the browser). Method → channel is fixed here, so no transport forwards arbitrary names.
 */
import type { Channel, ChannelArgs, ChannelResult, EventName, StudioEvents } from './ipc-contract';

type Call<C extends Channel> = (args: ChannelArgs<C>) => Promise<ChannelResult<C>>;

export const API_LAYOUT = {
  workspace: { info: 'workspace:info' },
  datasets: {
    list: 'datasets:list',
    create: 'datasets:create',
    rename: 'datasets:rename',
    remove: 'datasets:delete',
    import: 'datasets:import',
    checkImportSource: 'datasets:checkImportSource',
    importReports: 'datasets:importReports',
    verifyStore: 'datasets:verifyStore',
  },
  classes: { list: 'classes:list', add: 'classes:add', rename: 'classes:rename', reorder: 'classes:reorder', merge: 'classes:merge', remove: 'classes:delete' },
  samples: { page: 'samples:page', get: 'samples:get', idsInView: 'samples:idsInView', edit: 'samples:edit' },
  history: { undo: 'history:undo', redo: 'history:redo', state: 'history:state', list: 'history:list' },
  splits: { assign: 'splits:assign' },
  versions: {
    list: 'versions:list',
    create: 'versions:create',
    diff: 'versions:diff',
    export: 'versions:export',
    checkExportDestination: 'versions:checkExportDestination',
  },
  jobs: { list: 'jobs:list', get: 'jobs:get', cancel: 'jobs:cancel' },
  models: {
    list: 'models:list',
    inspect: 'models:inspect',
    register: 'models:register',
    remove: 'models:remove',
    download: 'models:download',
    createMiniVlm: 'models:createMiniVlm',
  },
  system: { devices: 'system:devices', installRuntime: 'system:installRuntime' },
  hosts: { list: 'hosts:list', add: 'hosts:add', remove: 'hosts:remove', probe: 'hosts:probe', trust: 'hosts:trust' },
  secrets: { status: 'secrets:status', set: 'secrets:set', remove: 'secrets:delete' },
  evals: {
    list: 'evals:list',
    get: 'evals:get',
    create: 'evals:create',
    resume: 'evals:resume',
    remove: 'evals:delete',
    samples: 'evals:samples',
    export: 'evals:export',
    compare: 'evals:compare',
    prompts: 'evals:prompts',
  },
  batches: {
    create: 'batches:create',
    list: 'batches:list',
    get: 'batches:get',
    cancel: 'batches:cancel',
    resume: 'batches:resume',
  },
  finders: { start: 'finders:start', runs: 'finders:runs', suspects: 'finders:suspects', review: 'finders:review', keywordRules: 'finders:keywordRules', saveKeywordRules: 'finders:saveKeywordRules' },
  finetunes: {
    validate: 'finetunes:validate',
    create: 'finetunes:create',
    resume: 'finetunes:resume',
    list: 'finetunes:list',
    get: 'finetunes:get',
    log: 'finetunes:log',
    metrics: 'finetunes:metrics',
    importYaml: 'finetunes:importYaml',
    exportYaml: 'finetunes:exportYaml',
  },
  robustness: { derive: 'robustness:derive', report: 'robustness:report', evaluate: 'robustness:evaluate' },
  classMappings: {
    list: 'classMappings:list',
    presets: 'classMappings:presets',
    modelLabels: 'classMappings:modelLabels',
    save: 'classMappings:save',
    remove: 'classMappings:delete',
    ood: 'classMappings:ood',
  },
  cascade: { report: 'cascade:report', suggestMapping: 'cascade:suggestMapping', runParams: 'cascade:runParams' },
  prompts: {
    list: 'prompts:list',
    get: 'prompts:get',
    versions: 'prompts:versions',
    version: 'prompts:version',
    save: 'prompts:save',
    formSettings: 'prompts:formSettings',
    saveFormSettings: 'prompts:saveFormSettings',
    tryStart: 'prompts:try',
    trySamples: 'prompts:trySamples',
  },
} as const satisfies Record<string, Record<string, Channel>>;

type Layout = typeof API_LAYOUT;

export type StudioApi = {
  [G in keyof Layout]: { [M in keyof Layout[G]]: Layout[G][M] extends Channel ? Call<Layout[G][M]> : never };
} & {
  /** Subscribe to a push event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, cb: (payload: StudioEvents[E]) => void): () => void;
};

/** Builds a StudioApi from one transport function (used by preload and the HTTP client). */
export function buildStudioApi(
  call: (channel: Channel, args: unknown) => Promise<unknown>,
  on: StudioApi['on'],
): StudioApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [group, methods] of Object.entries(API_LAYOUT)) {
    api[group] = {};
    for (const [method, channel] of Object.entries(methods)) {
      api[group][method] = (args: unknown) => call(channel as Channel, args ?? {});
    }
  }
  return { ...(api as unknown as Omit<StudioApi, 'on'>), on } as StudioApi;
}
