/**
 * The SSH backend of the fine-tune pipeline: prepares the bundle here (finetune-prepare), then the generic SSH
 * executor uploads it, runs `<host python> -m lfm2vl_trainer train|mini` from the bundle's trainer copy detached on
 * the host, mirrors metrics.jsonl, train.log and complete checkpoints into run/, and fetches the sha256-verified
 * export; it is registered here with lineage.backend 'ssh'. A resume ships its checkpoint in the bundle (--resume
 * ../resume/checkpoints/step-N). Re-attach skips straight to following the host.
 */
import { posix } from 'node:path';
import type { FinetuneMetricLine, FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobExecutor, JobRunContext } from '../jobs/job-kind';
import { getHost } from '../ssh/host-store';
import { studioKnownHostsFile } from '../ssh/known-hosts';
import { shq } from '../ssh/ssh-remote';
import { sshExecutor, type SshJobResult } from '../ssh/ssh-executor';
import { progressMessage } from './finetune-metrics';
import { finetuneRunDir } from './finetune-paths';
import { BUNDLE_TRAINER_CWD, trainerArgs } from './finetune-trainer-args';
import { TRAINER_ENV } from './finetune-python';
import { prepareThenRun, preparedOnDisk, registeringEvents, type PreparedBundle } from './finetune-remote';
import { recordPhase } from './finetune-state-store';

/** What the inner SSH executor is given: the spec plus what the prepared bundle decided. */
interface SshFinetuneParams extends PreparedBundle {
  spec: FinetuneSpec;
  python: string;
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

  /** The inner context: attach stamps 'running'; its done registers the fetched export before the outer job is done. */
  const innerContext = (ctx: JobRunContext<FinetuneSpec, FinetuneResult>, prepared: PreparedBundle): JobRunContext<SshFinetuneParams, SshJobResult> => {
    const params: SshFinetuneParams = { spec: ctx.params, ...prepared, python: getHost(db, hostIdOf(ctx.params)).python };
    const events = registeringEvents<SshJobResult>(db, ctx, prepared.bundle, 'ssh', {
      attached: (ref) => {
        ctx.events.attached(ref);
        recordPhase(db, ctx.jobId, 'running', `ssh host #${hostIdOf(params.spec)}`);
      },
    });
    return { ...ctx, params, events };
  };

  return {
    backend: 'ssh',
    run: (ctx) =>
      prepareThenRun(
        db,
        ctx,
        () => {
          const host = getHost(db, hostIdOf(ctx.params));
          return `ssh ${host.username}@${host.host}:${host.port}`;
        },
        (prepared) => inner.run(innerContext(ctx, prepared)),
      ),
    reattach: (externalRef, ctx) => inner.reattach(externalRef, innerContext(ctx, preparedOnDisk(ctx))),
  };
}
