/**
 * What the SSH and Modal fine-tune backends share around their generic executors: preparing the bundle here before the
 * inner run starts (cancel/kill/detach honoured meanwhile), reading the prepared bundle back on re-attach, and inner
 * events whose `done` registers the fetched export before the outer job is done (and only then exits).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobEvents, JobRun, JobRunContext } from '../jobs/job-kind';
import { workspacePaths } from '../workspace/workspace';
import { BUNDLE_MANIFEST, type BundleManifest } from './finetune-bundle';
import { totalSteps } from './finetune-metrics';
import { finetuneJobDir, finetuneRunDir } from './finetune-paths';
import { stageResumeInBundle } from './finetune-resume';
import { registerFinetune } from './finetune-register';
import { recordPhase } from './finetune-state-store';

type Ctx = JobRunContext<FinetuneSpec, FinetuneResult>;

/** What the prepared bundle decided, handed to the inner executor. */
export interface PreparedBundle {
  bundle: string;
  mini: boolean;
  total: number;
  /** A checkpoint shipped in the bundle to --resume from (relative to the bundle), or null. */
  resume: string | null;
}

export function readManifest(bundle: string): BundleManifest {
  return JSON.parse(readFileSync(join(bundle, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
}

/** run(): stamps 'uploading' with `detail()`, prepares the bundle here, then `start`s the inner run. */
export function prepareThenRun(db: Db, ctx: Ctx, detail: () => string, start: (prepared: PreparedBundle) => JobRun): JobRun {
  let cancelled = false;
  let detached = false;
  let innerRun: JobRun | null = null;
  const prepare = async (): Promise<void> => {
    recordPhase(db, ctx.jobId, 'uploading', detail());
    const ws = { db, imagesDir: workspacePaths(ctx.workspaceRoot).imagesDir };
    // Loaded on first use: the processor (transformers.js) stays out of the studio's start-up.
    const { prepareFinetune } = await import('./finetune-prepare');
    const stage = (bundle: string) => stageResumeInBundle(db, ctx.workspaceRoot, ctx.jobId, ctx.params, bundle);
    const prepared = await prepareFinetune(ws, ctx.params, finetuneJobDir(ctx.workspaceRoot, ctx.jobId), (v, m) => ctx.events.progress(v * 0.05, m), stage);
    if (detached) return;
    if (cancelled) {
      ctx.events.done(null, true);
      return ctx.events.exited('cancelled while preparing');
    }
    innerRun = start({ bundle: prepared.bundle, mini: prepared.mini, total: prepared.total, resume: prepared.resume?.rel ?? null });
  };
  prepare().catch((err: unknown) => {
    if (detached) return;
    if (cancelled) ctx.events.done(null, true);
    else ctx.events.failed(err instanceof Error ? err.message : String(err));
    ctx.events.exited('preparing failed');
  });
  return {
    cancel: () => {
      cancelled = true;
      innerRun?.cancel();
    },
    kill: () => {
      cancelled = true;
      innerRun?.kill();
    },
    detach: async (graceMs) => {
      detached = true;
      return innerRun ? innerRun.detach(graceMs) : false;
    },
  };
}

/** reattach(): the bundle an earlier process prepared, read back (nothing is prepared again). */
export function preparedOnDisk(ctx: Ctx): PreparedBundle {
  const bundle = join(finetuneJobDir(ctx.workspaceRoot, ctx.jobId), 'bundle');
  const manifest = readManifest(bundle);
  const mini = Object.keys(manifest.files).some((f) => f.startsWith('mobilenet/'));
  return { bundle, mini, total: totalSteps(manifest.counts.train, ctx.params.hyperparams), resume: null };
}

/** The inner run's events: `overrides` first (attached, progress…); done registers the fetched export as a `backend` fine-tune. */
export function registeringEvents<R extends { artifactsDir: string }>(
  db: Db,
  ctx: Ctx,
  bundle: string,
  backend: 'ssh' | 'modal',
  overrides: Partial<JobEvents<R>> = {},
): JobEvents<R> {
  let registering: Promise<void> | null = null;
  return {
    ...(ctx.events as unknown as JobEvents<R>),
    ...overrides,
    done: (result, cancelled) => {
      if (!result || cancelled) return ctx.events.done(null, cancelled);
      registering = (async () => {
        recordPhase(db, ctx.jobId, 'registering');
        const run = finetuneRunDir(ctx.workspaceRoot, ctx.jobId);
        const labels = readManifest(bundle).labels;
        const files = { out: result.artifactsDir, metrics: join(run, 'metrics.jsonl'), trainLog: join(run, 'train.log') };
        const registered = await registerFinetune(db, ctx.params, ctx.jobId, files, labels, backend);
        ctx.events.progress(1, `registered model #${registered.modelId} "${registered.modelName}"`);
        ctx.events.done(registered, false);
      })().catch((err: unknown) => ctx.events.failed(err instanceof Error ? err.message : String(err)));
    },
    exited: (detail) => {
      if (registering) void registering.finally(() => ctx.events.exited(detail));
      else ctx.events.exited(detail);
    },
  };
}
