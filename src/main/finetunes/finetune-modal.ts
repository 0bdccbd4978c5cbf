/**
 * The Modal backend of the fine-tune pipeline: prepares the bundle here (finetune-prepare), then the generic Modal
 * executor puts it on the job's volume, runs `python -m lfm2vl_trainer train|mini` on the spec's GPU with its timeout,
 * mirrors metrics.jsonl, train.log and complete checkpoints into run/, and fetches the sha256-verified export; it is
 * registered here with lineage.backend 'modal'. A resume ships its checkpoint in the bundle. The token is read from the secrets store when the job (re)starts and
 * reaches only the CLI's environment; without one the CLI's own login is used. Re-attach follows the app by its id.
 */
import type { FinetuneMetricLine, FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobExecutor, JobRunContext } from '../jobs/job-kind';
import type { ModalToken } from '../modal/modal-cli';
import { modalExecutor, type ModalJobResult } from '../modal/modal-executor';
import { modalFinetuneOptions } from '../modal/modal-finetune';
import { BUNDLE_CONFIG } from './finetune-bundle';
import { progressMessage } from './finetune-metrics';
import { finetuneRunDir } from './finetune-paths';
import { prepareThenRun, preparedOnDisk, registeringEvents, type PreparedBundle } from './finetune-remote';
import { recordPhase } from './finetune-state-store';
import { trainerDir } from './lora-targets';
import { MOBILENET_FILE } from './mini-vlm';

/** What the inner Modal executor is given: the spec plus what the prepared bundle decided (in memory only). */
interface ModalFinetuneParams extends PreparedBundle {
  spec: FinetuneSpec;
}

/** Said in the job's messages and phase when the studio holds no Modal token. */
export const MODAL_CLI_LOGIN = "no Modal token in the studio's secrets: using the modal CLI's own login (~/.modal.toml)";

const modalOf = (spec: FinetuneSpec) => {
  if (spec.backend.kind !== 'modal') throw new Error(`not a Modal fine-tune (backend ${spec.backend.kind})`);
  return spec.backend;
};

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

  /** The inner context: metrics lines become the usual step messages, attach stamps 'running', done registers the export. */
  const innerContext = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, prepared: PreparedBundle): JobRunContext<ModalFinetuneParams, ModalJobResult> => {
    const params = paramsFor(ctx, prepared);
    const events = registeringEvents<ModalJobResult>(db, ctx, prepared.bundle, 'modal', {
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
    });
    return { jobId: ctx.jobId, kind: ctx.kind, workspaceRoot: ctx.workspaceRoot, logOffset: ctx.logOffset, params, events };
  };

  /** The inner params, with this job's token (read now) kept beside them; says when the CLI's login is used. */
  const paramsFor = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, prepared: PreparedBundle): ModalFinetuneParams => {
    const params = { spec: ctx.params, ...prepared };
    const token = tokenOf(ctx);
    if (token) tokens.set(params, token);
    else ctx.events.progress(0.05, MODAL_CLI_LOGIN);
    return params;
  };

  return {
    backend: 'modal',
    run: (ctx) =>
      prepareThenRun(
        db,
        ctx,
        () => `Modal ${modalOf(ctx.params).gpu} (${tokenOf(ctx) ? "the studio's Modal token" : "the modal CLI's own login"})`,
        (prepared) => inner().run(innerContext(ctx, prepared)),
      ),
    reattach: (externalRef, ctx) => inner().reattach(externalRef, innerContext(ctx, preparedOnDisk(ctx))),
  };
}
