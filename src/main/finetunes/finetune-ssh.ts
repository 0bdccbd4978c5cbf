/**
 * The SSH backend of the fine-tune pipeline: prepares the bundle here (finetune-prepare), then the generic SSH
 * executor uploads it, runs `<host python> -m lfm2vl_trainer train|mini` from the bundle's trainer copy detached on
 * the host, mirrors metrics.jsonl, train.log and complete checkpoints into run/, and fetches the sha256-verified
 * export; it is registered here with lineage.backend 'ssh'. A resume ships its checkpoint in the bundle (--resume
 * ../resume/checkpoints/step-N). Re-attach skips straight to following the host.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { FinetuneMetricLine, FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobEvents, JobExecutor, JobRun, JobRunContext } from '../jobs/job-kind';
import { getHost } from '../ssh/host-store';
import { studioKnownHostsFile } from '../ssh/known-hosts';
import { shq } from '../ssh/ssh-remote';
import { sshExecutor, type SshJobResult } from '../ssh/ssh-executor';
import { workspacePaths } from '../workspace/workspace';
import { BUNDLE_MANIFEST, type BundleManifest } from './finetune-bundle';
import { progressMessage, totalSteps } from './finetune-metrics';
import { finetuneJobDir, finetuneRunDir } from './finetune-paths';
import { BUNDLE_TRAINER_CWD, trainerArgs } from './finetune-trainer-args';
import { TRAINER_ENV } from './finetune-python';
import { registerFinetune } from './finetune-register';
import { stageResumeInBundle } from './finetune-resume';
import { recordPhase } from './finetune-state-store';

/** What the inner SSH executor is given: the spec plus what the prepared bundle decided. */
interface SshFinetuneParams {
  spec: FinetuneSpec;
  bundle: string;
  mini: boolean;
  total: number;
  python: string;
  /** A checkpoint shipped in the bundle to --resume from (relative to the bundle), or null. */
  resume: string | null;
}

const hostIdOf = (spec: FinetuneSpec): number => {
  if (spec.backend.kind !== 'ssh') throw new Error(`not an SSH fine-tune (backend ${spec.backend.kind})`);
  return spec.backend.hostId;
};

/** The remote command, run in the job folder (./bundle uploaded, ./out for the trainer). */
export function remoteTrainCommand(python: string, mini: boolean, resume?: string | null): string {
  const env = Object.entries(TRAINER_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
  const args = trainerArgs(mini, '../../out', resume).map(shq).join(' ');
  return `cd ${posix.join('bundle', BUNDLE_TRAINER_CWD)} && exec env ${env} ${shq(python)} ${args}`;
}

function readManifest(bundle: string): BundleManifest {
  return JSON.parse(readFileSync(join(bundle, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
}

export function finetuneSshExecutor(db: Db, opts: { passphrase?: (hostId: number) => string | undefined; pollMs?: number }): JobExecutor<FinetuneSpec, FinetuneResult> {
  const inner = sshExecutor<SshFinetuneParams>({
    host: (p) => getHost(db, hostIdOf(p.spec)),
    bundleDir: (p) => p.bundle,
    command: (p) => remoteTrainCommand(p.python, p.mini, p.resume),
    passphrase: (p) => opts.passphrase?.(hostIdOf(p.spec)),
    knownHostsFile: studioKnownHostsFile,
    stateDir: finetuneRunDir,
    pollMs: opts.pollMs,
    mirrorDirs: ['checkpoints'],
    errorTailLines: 24,
    metricProgress: (line, p) => {
      try {
        const m = JSON.parse(line) as FinetuneMetricLine;
        return { value: 0.05 + (0.85 * Math.min(m.step, p.total)) / p.total, message: progressMessage(m, p.total) };
      } catch {
        return null;
      }
    },
    onCollect: (jobId) => recordPhase(db, jobId, 'downloading', 'fetching the export'),
  });

  /** The inner context: attach stamps 'running'; its done registers the fetched export before the outer job is done (and only then exits). */
  const innerContext = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, params: SshFinetuneParams): JobRunContext<SshFinetuneParams, SshJobResult> => {
    let registering: Promise<void> | null = null;
    const events: JobEvents<SshJobResult> = {
      ...ctx.events,
      attached: (ref) => {
        ctx.events.attached(ref);
        recordPhase(db, ctx.jobId, 'running', `ssh host #${hostIdOf(params.spec)}`);
      },
      done: (result, cancelled) => {
        if (!result || cancelled) return ctx.events.done(null, cancelled);
        registering = (async () => {
          recordPhase(db, ctx.jobId, 'registering');
          const run = finetuneRunDir(ctx.workspaceRoot, ctx.jobId);
          const labels = readManifest(params.bundle).labels;
          const files = { out: result.artifactsDir, metrics: join(run, 'metrics.jsonl'), trainLog: join(run, 'train.log') };
          const registered = await registerFinetune(db, params.spec, ctx.jobId, files, labels, 'ssh');
          ctx.events.progress(1, `registered model #${registered.modelId} "${registered.modelName}"`);
          ctx.events.done(registered, false);
        })().catch((err: unknown) => ctx.events.failed(err instanceof Error ? err.message : String(err)));
      },
      exited: (detail) => {
        if (registering) void registering.finally(() => ctx.events.exited(detail));
        else ctx.events.exited(detail);
      },
    };
    return { ...ctx, params, events };
  };

  const paramsFor = (spec: FinetuneSpec, bundle: string, mini: boolean, total: number, resume: string | null = null): SshFinetuneParams => ({ spec, bundle, mini, total, python: getHost(db, hostIdOf(spec)).python, resume });

  return {
    backend: 'ssh',
    run(ctx) {
      let cancelled = false;
      let detached = false;
      let innerRun: JobRun | null = null;
      const prepare = async (): Promise<void> => {
        const host = getHost(db, hostIdOf(ctx.params));
        recordPhase(db, ctx.jobId, 'uploading', `ssh ${host.username}@${host.host}:${host.port}`);
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
        innerRun = inner.run(innerContext(ctx, paramsFor(ctx.params, prepared.bundle, prepared.mini, prepared.total, prepared.resume?.rel ?? null)));
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
      return inner.reattach(externalRef, innerContext(ctx, paramsFor(ctx.params, bundle, mini, totalSteps(manifest.counts.train, ctx.params.hyperparams))));
    },
  };
}
