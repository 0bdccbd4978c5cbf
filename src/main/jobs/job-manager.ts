/**
 * Runs jobs through their kind's executor (worker thread, or a detached process that outlives the app), re-emits
 * progress on the event bus, persists it (throttled), supports cooperative cancel with a hard stop after a grace
 * period, and at start-up re-attaches to work that outlived the previous process; local work that died with it is
 * marked interrupted.
 */
import { randomUUID } from 'node:crypto';
import type { FinishedJobStatus, JobInfo, JobKind, JobOwner, JobParamsMap } from '../../shared/jobs';
import { isLiveJobStatus } from '../../shared/jobs';
import type { StudioEventBus } from '../api/event-bus';
import type { Db } from '../db/open-database';
import { notFound, StudioError } from '../errors';
import type { SecretName } from '../../shared/secret-names';
import type { PerJobSecrets } from '../secrets/secret-lookup';
import { builtinJobKinds, type BuiltinJobKinds } from './builtin-job-kinds';
import { eraseKind, type AnyJobKindDef, type JobEvents, type JobKindDef, type JobRun } from './job-kind';
import { INTERRUPTED_ERROR, JobStore } from './job-store';
import { isProcessAlive } from '../system/process-identity';
import type { StartWorker } from './thread-executor';
import { InferenceHost } from './inference-host';

export interface JobManagerOptions {
  workspaceRoot: string;
  bus: StudioEventBus;
  db: Db;
  /** Worker-thread jobs running at once (default 1); the rest wait as 'queued'. Detached jobs take no slot. */
  maxConcurrent?: number;
  /** How long a cancelled job may take to stop by itself before it is killed (default 10 s). */
  cancelGraceMs?: number;
  /** Starts a job's worker thread (default: the job worker; tests pass one that never answers). */
  startWorker?: StartWorker;
  /** Kinds beyond the built-in ones (tests; later work such as fine-tunes). */
  extraKinds?: readonly AnyJobKindDef[];
  /**
   * Where eval jobs run: the shared inference host thread (default: a new InferenceHost, 4 runs at once, stopped by
   * close()), or null for the old path of one worker thread per eval job (benchmark comparison).
   */
  inferenceHost?: InferenceHost | null;
  /** Reads a secret at the moment a job needs it (Hub token, SSH passphrase); values never enter params or the jobs table. */
  secret?: (name: SecretName) => string | undefined;
  /** An SSH key's passphrase for a host, from the caller's memory (never stored); asked when an SSH job connects. */
  sshPassphrase?: (hostId: number) => string | undefined;
  /** How often a Modal fine-tune polls its volume (default 10 s; tests against the stand-in CLI poll faster). */
  modalPollMs?: number;
}

interface ActiveJob {
  id: string;
  def: AnyJobKindDef;
  params: unknown;
  /** Secrets given with this job (memory only; a re-attached job has none and reads the store). */
  secrets: PerJobSecrets | null;
  run: JobRun | null;
  cancelRequested: boolean;
  settled: boolean;
  closing: boolean;
  lastPersist: number;
  killTimer: NodeJS.Timeout | null;
}

const PERSIST_EVERY_MS = 250;

export class JobManager {
  private readonly store: JobStore;
  private readonly builtins: BuiltinJobKinds;
  private readonly kinds = new Map<string, AnyJobKindDef>();
  private readonly running = new Map<string, ActiveJob>();
  private readonly queue: ActiveJob[] = [];
  private readonly waiters = new Map<string, ((info: JobInfo) => void)[]>();
  private readonly maxConcurrent: number;
  private readonly graceMs: number;
  private readonly inferenceHost: InferenceHost | null;

  constructor(private readonly opts: JobManagerOptions) {
    this.store = new JobStore(opts.db);
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 1);
    this.graceMs = opts.cancelGraceMs ?? 10_000;
    this.inferenceHost = opts.inferenceHost === undefined ? new InferenceHost() : opts.inferenceHost;
    this.builtins = builtinJobKinds(opts.startWorker, { db: opts.db, sshPassphrase: opts.sshPassphrase, inferenceHost: this.inferenceHost, modalPollMs: opts.modalPollMs });
    for (const def of [...Object.values(this.builtins).map((d) => eraseKind(d as JobKindDef<unknown, unknown>)), ...(opts.extraKinds ?? [])]) {
      if (this.kinds.has(def.kind)) throw new Error(`job kind "${def.kind}" is registered twice`);
      this.kinds.set(def.kind, def);
    }
    this.recover();
  }

  /** Queues a job and returns its id at once; follow it with 'jobs:progress' / 'jobs:changed' or wait(). */
  start<K extends JobKind>(kind: K, params: JobParamsMap[K], secrets?: PerJobSecrets): string {
    return this.startKind(this.builtins[kind] as unknown as JobKindDef<JobParamsMap[K], unknown>, params, secrets);
  }

  /** Queues a job of any registered kind (built-in or extra). secrets: values for this job only, held in memory, never stored. */
  startKind<P, R>(def: JobKindDef<P, R>, params: P, secrets?: PerJobSecrets): string {
    const kind = this.kinds.get(def.kind);
    if (kind !== eraseKind(def)) throw new Error(`job kind "${def.kind}" is not registered with this JobManager`);
    const parsed = def.params.safeParse(params);
    if (!parsed.success) throw new StudioError('invalid-args', `${def.kind} job: ${parsed.error.message}`);
    const id = randomUUID();
    this.opts.bus.emit('jobs:changed', this.store.insert(id, kind.kind, parsed.data, kind.executor.backendOf?.(parsed.data) ?? kind.executor.backend, def.owner?.(parsed.data) ?? null));
    def.onCreated?.(this.opts.db, parsed.data, id);
    this.queue.push(this.active(id, kind, parsed.data, secrets));
    this.pump();
    return id;
  }

  list(): JobInfo[] {
    return this.store.list();
  }

  get(jobId: string): JobInfo {
    return this.store.get(jobId);
  }

  /** The queued or running job working on an owner (an eval run…), found through the owner index. */
  activeFor(owner: JobOwner): JobInfo | null {
    return this.store.activeFor(owner);
  }

  /** Resolves when the job reaches a finished status. */
  wait(jobId: string): Promise<JobInfo> {
    const info = this.store.get(jobId);
    if (!isLiveJobStatus(info.status)) return Promise.resolve(info);
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
  }

  /** Asks a job to stop; returns false when it already finished. */
  cancel(jobId: string): boolean {
    const queuedAt = this.queue.findIndex((j) => j.id === jobId);
    if (queuedAt >= 0) {
      const [job] = this.queue.splice(queuedAt, 1);
      this.settle(job, 'cancelled', { message: 'Cancelled before it started' });
      return true;
    }
    const job = this.running.get(jobId);
    if (!job) {
      if (!isLiveJobStatus(this.store.get(jobId).status)) return false;
      throw notFound(`Running job ${jobId}`);
    }
    if (job.settled) return false;
    job.cancelRequested = true;
    job.run?.cancel();
    job.killTimer ??= setTimeout(() => this.kill(job), this.graceMs);
    return true;
  }

  /** App shutdown: thread jobs stop and are recorded as interrupted; detached jobs keep running and are re-attached next start. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) this.settle(job, 'interrupted', { error: INTERRUPTED_ERROR });
    await Promise.all(
      [...this.running.values()].map(async (job) => {
        job.closing = true;
        if (job.killTimer) clearTimeout(job.killTimer);
        const detached = job.run ? await job.run.detach(this.graceMs) : false;
        if (detached) this.store.releaseHost(job.id);
        else this.settle(job, 'interrupted', { error: INTERRUPTED_ERROR });
        this.running.delete(job.id);
      }),
    );
    await this.inferenceHost?.close();
  }

  /**
   * Re-attaches jobs whose work outlived the process that drove them; the rest of a dead process's live jobs are
   * interrupted. Jobs another live studio process drives are left to it.
   */
  private recover(): void {
    for (const row of this.store.live()) {
      const elsewhere = row.hostPid !== null && row.hostPid !== process.pid && isProcessAlive(row.hostPid, row.hostStarted);
      if (elsewhere || !this.store.takeOver(row)) continue;
      const def = this.kinds.get(row.kind);
      const job = def ? this.active(row.id, def, this.store.params(row.id)) : null;
      if (def && job && row.externalRef !== null) {
        this.running.set(row.id, job);
        job.run = def.executor.reattach(row.externalRef, this.context(job, row.logOffset));
        if (job.run) continue;
        this.running.delete(row.id);
      }
      if (job) this.settle(job, 'interrupted', { error: INTERRUPTED_ERROR });
      else this.store.finish(row.id, 'interrupted', { error: `${INTERRUPTED_ERROR} (unknown job kind "${row.kind}")` });
    }
  }

  private active(id: string, def: AnyJobKindDef, params: unknown, secrets: PerJobSecrets | null = null): ActiveJob {
    return { id, def, params, secrets, run: null, cancelRequested: false, settled: false, closing: false, lastPersist: 0, killTimer: null };
  }

  private pump(): void {
    const inPool = (pool: string | undefined): number =>
      [...this.running.values()].filter((j) => j.def.executor.backend === 'thread' && j.def.executor.slots?.pool === pool).length;
    for (const job of [...this.queue]) {
      const { backend, slots } = job.def.executor;
      if (backend === 'thread' && inPool(slots?.pool) >= (slots?.size ?? this.maxConcurrent)) continue;
      this.queue.splice(this.queue.indexOf(job), 1);
      this.launch(job);
    }
  }

  private launch(job: ActiveJob): void {
    this.opts.bus.emit('jobs:changed', this.store.setRunning(job.id));
    this.running.set(job.id, job);
    try {
      job.run = job.def.executor.run(this.context(job, 0));
    } catch (err) {
      this.settle(job, 'failed', { error: err instanceof Error ? err.message : String(err) });
      this.release(job);
    }
  }

  private context(job: ActiveJob, logOffset: number) {
    const { bus } = this.opts;
    const events: JobEvents<unknown> = {
      progress: (value, message) => {
        bus.emit('jobs:progress', { jobId: job.id, kind: job.def.kind as JobKind, value, message });
        const now = Date.now();
        if (value >= 1 || now - job.lastPersist >= PERSIST_EVERY_MS) {
          job.lastPersist = now;
          this.store.progress(job.id, value, message);
        }
      },
      attached: (ref) => this.store.setExternalRef(job.id, ref),
      logOffset: (offset) => this.store.setLogOffset(job.id, offset),
      datasetChanged: (datasetId) => bus.emit('dataset:changed', { datasetId, reason: `${job.def.kind} finished` }),
      done: (result, cancelled) => {
        if (result === null) return this.settle(job, cancelled ? 'cancelled' : 'done', { result: null });
        const checked = job.def.result.safeParse(result);
        if (!checked.success) return this.settle(job, 'failed', { error: `the ${job.def.kind} job's result does not match its schema: ${checked.error.message}` });
        const produced = job.def.producedOwner?.(result);
        if (produced) this.store.setOwner(job.id, produced);
        this.settle(job, cancelled ? 'cancelled' : 'done', { result });
      },
      failed: (message) => this.settle(job, job.cancelRequested ? 'cancelled' : 'failed', { error: job.cancelRequested ? undefined : message }),
      exited: (detail) => {
        if (job.closing) return;
        if (job.killTimer) clearTimeout(job.killTimer);
        this.settle(job, job.cancelRequested ? 'cancelled' : 'failed', { error: job.cancelRequested ? undefined : detail });
        this.release(job);
      },
      interrupted: (detail) => {
        if (job.closing) return;
        if (job.killTimer) clearTimeout(job.killTimer);
        this.settle(job, job.cancelRequested ? 'cancelled' : 'interrupted', { error: job.cancelRequested ? undefined : `interrupted (${detail}); run it again — finished work is reused` });
        this.release(job);
      },
    };
    const secret = (name: SecretName) => job.secrets?.get(name) || this.opts.secret?.(name);
    return { jobId: job.id, kind: job.def.kind, params: job.params, workspaceRoot: this.opts.workspaceRoot, events, logOffset, secret };
  }

  /**
   * Hard stop after the grace period: kill the work, settle the job and free its slot now (a thread blocked in a
   * system call — open() of a FIFO, a hung mount — never reports its exit).
   */
  private kill(job: ActiveJob): void {
    job.run?.kill();
    const secs = `${Number((this.graceMs / 1000).toFixed(1))} s`;
    this.settle(job, job.cancelRequested ? 'cancelled' : 'failed', {
      message: `The job did not stop within ${secs} of the cancel request; its worker was terminated`,
    });
    this.release(job);
  }

  /** Forgets a running job (once) and starts queued ones in its slot. */
  private release(job: ActiveJob): void {
    if (this.running.get(job.id) !== job) return;
    this.running.delete(job.id);
    this.pump();
  }

  /** Finishes a job exactly once; work that stopped without reporting done gets its kind's clean-up. */
  private settle(job: ActiveJob, status: FinishedJobStatus, fields: { result?: unknown; error?: string; message?: string }): void {
    if (job.settled) return;
    job.settled = true;
    if (this.running.get(job.id) === job && !job.closing) {
      // A finished thread exits on its own; make sure a stuck one cannot hold the queue.
      job.killTimer ??= setTimeout(() => this.kill(job), this.graceMs);
      job.killTimer.unref();
    }
    if (status !== 'done' && !(status === 'cancelled' && fields.result !== undefined)) {
      try {
        job.def.onStopped?.(this.opts.db, job.params, status, job.id);
      } catch {
        // Clean-up is best effort; the job's own status is what matters here.
      }
    }
    const finished = this.store.finish(job.id, status, fields);
    if (finished) this.opts.bus.emit('jobs:changed', finished);
    const info = finished ?? this.store.get(job.id);
    for (const resolve of this.waiters.get(job.id) ?? []) resolve(info);
    this.waiters.delete(job.id);
  }
}
