/**
 * The Modal backend of the fine-tune pipeline: prepares the bundle here (finetune-prepare), then the generic Modal
 * executor puts it on the job's volume, runs `python -m lfm2vl_trainer train|mini` on the spec's GPU with its timeout,
 * mirrors metrics.jsonl, train.log and complete checkpoints into run/, and fetches the sha256-verified export; it is
 * registered here with lineage.backend 'modal'. A resume ships its checkpoint in the bundle. The token is read from the secrets store when the job (re)starts and
 * reaches only the CLI's environment; without one the CLI's own login is used. Re-attach follows the app by its id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FinetuneMetricLine, FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobEvents, JobExecutor, JobRun, JobRunContext } from '../jobs/job-kind';
import type { ModalToken } from '../modal/modal-cli';
import { modalExecutor, type ModalJobResult } from '../modal/modal-executor';
import { modalFinetuneOptions } from '../modal/modal-finetune';
import { workspacePaths } from '../workspace/workspace';
import { BUNDLE_CONFIG, BUNDLE_MANIFEST, type BundleManifest } from './finetune-bundle';
import { progressMessage, totalSteps } from './finetune-metrics';
import { finetuneJobDir, finetuneRunDir } from './finetune-paths';
import { registerFinetune } from './finetune-register';
import { stageResumeInBundle } from './finetune-resume';
import { recordPhase } from './finetune-state-store';
import { trainerDir } from './lora-targets';
import { MOBILENET_FILE } from './mini-vlm';

/** What the inner Modal executor is given: the spec plus what the prepared bundle decided (in memory only). */
interface ModalFinetuneParams {
  spec: FinetuneSpec;
  bundle: string;
  mini: boolean;
  total: number;
  /** A checkpoint shipped in the bundle to --resume from (relative to the bundle), or null. */
  resume: string | null;
}

/** Said in the job's messages and phase when the studio holds no Modal token. */
export const MODAL_CLI_LOGIN = "no Modal token in the studio's secrets: using the modal CLI's own login (~/.modal.toml)";

const modalOf = (spec: FinetuneSpec) => {
  if (spec.backend.kind !== 'modal') throw new Error(`not a Modal fine-tune (backend ${spec.backend.kind})`);
  return spec.backend;
};

function readManifest(bundle: string): BundleManifest {
  return JSON.parse(readFileSync(join(bundle, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
}

/** The token from the secrets store (both halves, or none: the CLI's login). */
function tokenOf(ctx: JobRunContext<FinetuneSpec, FinetuneResult>): ModalToken | undefined {
  const tokenId = ctx.secret?.('modal-token-id');
  const tokenSecret = ctx.secret?.('modal-token-secret');
  return tokenId && tokenSecret ? { tokenId, tokenSecret } : undefined;
}

export function finetuneModalExecutor(db: Db, opts: { pollMs?: number } = {}): JobExecutor<FinetuneSpec, FinetuneResult> {
  // Tokens of the jobs now running, by inner params object: never in the params the jobs table stores.
  const tokens = new WeakMap<ModalFinetuneParams, ModalToken>();
  // Built on first use: the trainer folder is looked up only when a Modal job runs.
  let built: JobExecutor<ModalFinetuneParams, ModalJobResult> | null = null;
  const inner = (): JobExecutor<ModalFinetuneParams, ModalJobResult> => (built ??= modalExecutor<ModalFinetuneParams>({
    ...modalFinetuneOptions<ModalFinetuneParams>({
      trainerDir: trainerDir(),
      uploadDir: (p) => p.bundle,
      layout: (p) => ({ mode: p.mini ? 'mini' : 'train', config: BUNDLE_CONFIG, mobilenet: `mobilenet/${MOBILENET_FILE}`, resume: p.resume }),
      backend: (p) => modalOf(p.spec),
      token: (p) => tokens.get(p),
      pollMs: opts.pollMs,
    }),
    stateDir: finetuneRunDir,
    mirrorDirs: ['checkpoints'],
    onCollect: (jobId) => recordPhase(db, jobId, 'downloading', 'fetching the export from the Modal volume'),
  }));

  const innerContext = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, params: ModalFinetuneParams): JobRunContext<ModalFinetuneParams, ModalJobResult> => {
    let registering: Promise<void> | null = null;
    const events: JobEvents<ModalJobResult> = {
      ...ctx.events,
      // A metrics line becomes the same message the other backends show.
      progress: (value, message) => {
        if (!message.startsWith('{')) return ctx.events.progress(value, message);
        try {
          const m = JSON.parse(message) as FinetuneMetricLine;
          ctx.events.progress(0.05 + (0.85 * Math.min(m.step, params.total)) / params.total, progressMessage(m, params.total));
        } catch {
          ctx.events.progress(value, message);
        }
      },
      attached: (ref) => {
        ctx.events.attached(ref);
        const b = modalOf(params.spec);
        recordPhase(db, ctx.jobId, 'running', `Modal ${b.gpu}, timeout ${b.timeoutMinutes} min`);
      },
      done: (result, cancelled) => {
        if (!result || cancelled) return ctx.events.done(null, cancelled);
        registering = (async () => {
          recordPhase(db, ctx.jobId, 'registering');
          const run = finetuneRunDir(ctx.workspaceRoot, ctx.jobId);
          const labels = readManifest(params.bundle).labels;
          const files = { out: result.artifactsDir, metrics: join(run, 'metrics.jsonl'), trainLog: join(run, 'train.log') };
          const registered = await registerFinetune(db, params.spec, ctx.jobId, files, labels, 'modal');
          ctx.events.progress(1, `registered model #${registered.modelId} "${registered.modelName}"`);
          ctx.events.done(registered, false);
        })().catch((err: unknown) => ctx.events.failed(err instanceof Error ? err.message : String(err)));
      },
      exited: (detail) => {
        if (registering) void registering.finally(() => ctx.events.exited(detail));
        else ctx.events.exited(detail);
      },
    };
    return { jobId: ctx.jobId, kind: ctx.kind, workspaceRoot: ctx.workspaceRoot, logOffset: ctx.logOffset, params, events };
  };

  /** The inner params, with this job's token (read now) kept beside them; says when the CLI's login is used. */
  const paramsFor = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, bundle: string, mini: boolean, total: number, resume: string | null = null): ModalFinetuneParams => {
    const params = { spec: ctx.params, bundle, mini, total, resume };
    const token = tokenOf(ctx);
    if (token) tokens.set(params, token);
    else ctx.events.progress(0.05, MODAL_CLI_LOGIN);
    return params;
  };

  return {
    backend: 'modal',
    run(ctx) {
      let cancelled = false;
      let detached = false;
      let innerRun: JobRun | null = null;
      const prepare = async (): Promise<void> => {
        const b = modalOf(ctx.params);
        const login = tokenOf(ctx) ? "the studio's Modal token" : "the modal CLI's own login";
        recordPhase(db, ctx.jobId, 'uploading', `Modal ${b.gpu} (${login})`);
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
        innerRun = inner().run(innerContext(ctx, paramsFor(ctx, prepared.bundle, prepared.mini, prepared.total, prepared.resume?.rel ?? null)));
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
    },
    reattach(externalRef, ctx) {
      const bundle = join(finetuneJobDir(ctx.workspaceRoot, ctx.jobId), 'bundle');
      const manifest = readManifest(bundle);
      const mini = Object.keys(manifest.files).some((f) => f.startsWith('mobilenet/'));
      return inner().reattach(externalRef, innerContext(ctx, paramsFor(ctx, bundle, mini, totalSteps(manifest.counts.train, ctx.params.hyperparams))));
    },
  };
}
