/**
 * The one IPC contract: channel → zod schema of its single argument → result type.
 * Electron main (ipcMain.handle), the preload bridge and the browser host (HTTP/WebSocket)
 * are all driven by this table, so a channel cannot exist in one transport and not another.
 */
import { z } from 'zod';
import { labelSchema } from './label-rule';
import { evalChannels } from './ipc-contract-evals';
import { finetuneChannels } from './ipc-contract-finetunes';
import { runtimeChannels } from './ipc-contract-runtime';
import { hostChannels } from './ipc-contract-hosts';
import { secretChannels } from './ipc-contract-secrets';
import { robustnessChannels } from './ipc-contract-robustness';
import { finderChannels } from './ipc-contract-finders';
import { editSourceSchema } from './finder-runs';
import { evalBatchChannels } from './ipc-contract-eval-batches';
import { classMappingChannels } from './ipc-contract-class-mappings';
import { cascadeChannels } from './ipc-contract-cascade';
import { promptChannels } from './ipc-contract-prompts';
import { jobParamSchemas, type JobInfo, type JobProgress } from './jobs';
import type {
  ChangeRecord,
  DatasetSummary,
  DatasetVersion,
  ClassInfo,
  EditResult,
  ImportReport,
  SamplePage,
  Sample,
  SplitResult,
  StoreReport,
  UndoState,
  VersionDiff,
  WorkspaceInfo,
} from './domain';
import type { PathCheck } from './path-check';

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(200_000);
const split = z.enum(['train', 'val', 'test']);
const name = z.string().trim().min(1).max(200);

export const sampleFilterSchema = z.object({
  datasetId: id,
  classIds: z.array(z.number().int()).max(10_000).optional(),
  splits: z.array(z.enum(['train', 'val', 'test', 'none'])).max(4).optional(),
  status: z.enum(['active', 'dropped', 'all']).optional(),
  text: z.string().max(500).optional(),
  finderRunId: id.optional(),
});

export const sampleEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('relabel'), sampleIds: ids, classId: id.nullable() }),
  z.object({ kind: z.literal('drop'), sampleIds: ids, reason: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('restore'), sampleIds: ids }),
  z.object({ kind: z.literal('note'), sampleIds: ids, notes: z.string().max(5000) }),
  z.object({ kind: z.literal('split'), sampleIds: ids, split: split.nullable() }),
]);

const ratio = z.number().min(0).max(1);

/** Channel table: `args` validates the single argument; `result` is a type-only marker. */
export const channels = {
  'workspace:info': { args: z.object({}), result: null as unknown as WorkspaceInfo },
  'datasets:list': { args: z.object({}), result: null as unknown as DatasetSummary[] },
  'datasets:create': { args: z.object({ name }), result: null as unknown as DatasetSummary },
  'datasets:rename': { args: z.object({ datasetId: id, name }), result: null as unknown as DatasetSummary },
  'datasets:delete': { args: z.object({ datasetId: id }), result: null as unknown as { deleted: boolean } },
  'datasets:import': { args: jobParamSchemas.import, result: null as unknown as { jobId: string } },
  'datasets:checkImportSource': {
    args: z.object({
      source: z.string().min(1).max(4096),
      format: z.enum(['auto', 'imagefolder', 'csv', 'jsonl', 'hf-imagefolder']),
    }),
    result: null as unknown as PathCheck,
  },
  'datasets:verifyStore': { args: z.object({ datasetId: id }), result: null as unknown as StoreReport },
  'datasets:importReports': { args: z.object({ datasetId: id }), result: null as unknown as ImportReport[] },
  'classes:list': { args: z.object({ datasetId: id }), result: null as unknown as ClassInfo[] },
  'classes:add': { args: z.object({ datasetId: id, name: labelSchema }), result: null as unknown as ClassInfo[] },
  'classes:rename': { args: z.object({ datasetId: id, classId: id, name: labelSchema }), result: null as unknown as ClassInfo[] },
  'classes:reorder': {
    args: z.object({ datasetId: id, classIds: z.array(id).min(1).max(10_000) }),
    result: null as unknown as ClassInfo[],
  },
  'samples:page': {
    args: z.object({
      filter: sampleFilterSchema,
      sort: z
        .object({
          key: z.enum(['id', 'label', 'split', 'status', 'path', 'width', 'height', 'bytes', 'updated']),
          desc: z.boolean(),
        })
        .optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(5000),
    }),
    result: null as unknown as SamplePage,
  },
  'samples:get': { args: z.object({ sampleId: id }), result: null as unknown as Sample },
  'samples:idsInView': {
    args: z.object({ filter: sampleFilterSchema }),
    result: null as unknown as number[],
  },
  'samples:edit': { args: z.object({ datasetId: id, edit: sampleEditSchema, source: editSourceSchema.optional() }), result: null as unknown as EditResult },
  'history:undo': { args: z.object({ datasetId: id }), result: null as unknown as EditResult },
  'history:redo': { args: z.object({ datasetId: id }), result: null as unknown as EditResult },
  'history:state': { args: z.object({ datasetId: id }), result: null as unknown as UndoState },
  'history:list': {
    args: z.object({ datasetId: id, limit: z.number().int().min(1).max(1000) }),
    result: null as unknown as ChangeRecord[],
  },
  'splits:assign': {
    args: z.object({
      datasetId: id,
      seed: z.number().int().min(0).max(2 ** 31 - 1),
      ratios: z.object({ train: ratio, val: ratio, test: ratio }),
    }),
    result: null as unknown as SplitResult,
  },
  'versions:list': { args: z.object({ datasetId: id }), result: null as unknown as DatasetVersion[] },
  'versions:create': {
    args: z.object({ datasetId: id, name, note: z.string().max(2000).default('') }),
    result: null as unknown as DatasetVersion,
  },
  'versions:diff': { args: z.object({ fromId: id, toId: id }), result: null as unknown as VersionDiff },
  'versions:export': { args: jobParamSchemas.export, result: null as unknown as { jobId: string } },
  'versions:checkExportDestination': {
    args: z.object({ destination: z.string().min(1).max(4096) }),
    result: null as unknown as PathCheck,
  },
  'jobs:list': { args: z.object({}), result: null as unknown as JobInfo[] },
  'jobs:get': { args: z.object({ jobId: z.string().min(1).max(100) }), result: null as unknown as JobInfo },
  'jobs:cancel': { args: z.object({ jobId: z.string().min(1).max(100) }), result: null as unknown as { cancelled: boolean } },
  ...evalChannels,
  ...runtimeChannels,
  ...finetuneChannels,
  ...hostChannels,
  ...secretChannels,
  ...robustnessChannels,
  ...finderChannels,
  ...evalBatchChannels,
  ...classMappingChannels,
  ...cascadeChannels,
  ...promptChannels,
} as const;

export type Channel = keyof typeof channels;
export type ChannelArgs<C extends Channel> = z.input<(typeof channels)[C]['args']>;
export type ChannelParsedArgs<C extends Channel> = z.output<(typeof channels)[C]['args']>;
export type ChannelResult<C extends Channel> = (typeof channels)[C]['result'];
export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

/** Push events from main to the UI. */
export interface StudioEvents {
  'jobs:progress': JobProgress;
  'jobs:changed': JobInfo;
  'dataset:changed': { datasetId: number; reason: string };
  /** A fine-tune's state outside its job row changed (its automatic evaluation, a phase stamp). */
  'finetune:changed': { jobId: string; reason: string };
}
export type EventName = keyof StudioEvents;
export const EVENT_NAMES: EventName[] = ['jobs:progress', 'jobs:changed', 'dataset:changed', 'finetune:changed'];

/** Uniform error shape crossing any transport. */
export interface StudioErrorPayload {
  code: 'invalid-args' | 'not-found' | 'conflict' | 'failed' | 'forbidden';
  message: string;
}
