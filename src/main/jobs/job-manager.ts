/**
 * Runs long jobs (import, export) in worker threads, one at a time by default (imports already
 * saturate the cores), re-emits their progress on the event bus, persists it (throttled) in the
 * jobs table, supports cooperative cancel with a hard stop after a grace period, and on start-up
 * marks jobs a crashed process left running as failed.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { JobInfo, JobKind, JobStatus } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import type { StudioEventBus } from '../api/event-bus';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';
import type { FromWorker, JobParamsMap, JobWorkerData, ToWorker } from './job-messages';
import { JobStore } from './job-store';
import { startJobWorker } from './worker-entry';

export interface JobManagerOptions {
  workspaceRoot: string;
  bus: StudioEventBus;
  db: Db;
  /** Jobs running at once (default 1); the rest wait as 'queued'. */
  maxConcurrent?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated (default 10 s). */
  cancelGraceMs?: number;
  /** Starts a job's worker thread (default: the job worker; tests pass one that never answers). */
  startWorker?: (data: JobWorkerData) => Worker;
}

interface RunningJob {
  kind: JobKind;
  worker: Worker;
  cancelRequested: boolean;
  settled: boolean;
  lastPersist: number;
  killTimer: NodeJS.Timeout | null;
}

const PERSIST_EVERY_MS = 250;

export class JobManager {
  private readonly store: JobStore;
  private readonly running = new Map<string, RunningJob>();
  private readonly queue: string[] = [];
  private readonly waiters = new Map<string, ((info: JobInfo) => void)[]>();
  private readonly maxConcurrent: number;
  private readonly graceMs: number;

  constructor(private readonly opts: JobManagerOptions) {
    this.store = new JobStore(opts.db);
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 1);
    this.graceMs = opts.cancelGraceMs ?? 10_000;
    this.store.recoverInterrupted();
  }

  /** Queues a job and returns its id at once; follow it with 'jobs:progress' / 'jobs:changed' or wait(). */
  start<K extends JobKind>(kind: K, params: JobParamsMap[K]): string {
    const id = randomUUID();
    this.opts.bus.emit('jobs:changed', this.store.insert(id, kind, params));
    this.queue.push(id);
    this.pump();
    return id;
  }

  list(): JobInfo[] {
    return this.store.list();
  }

  /** The parameters a job was started with (e.g. to find the eval job of a run). */
  params(jobId: string): unknown {
    return this.store.params(jobId);
  }

  get(jobId: string): JobInfo {
    return this.store.get(jobId);
  }

  /** Resolves when the job reaches done, failed or cancelled. */
  wait(jobId: string): Promise<JobInfo> {
    const info = this.store.get(jobId);
    if (isFinished(info.status)) return Promise.resolve(info);
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
  }

  /** Asks a job to stop; returns false when it already finished. */
  cancel(jobId: string): boolean {
    const queuedAt = this.queue.indexOf(jobId);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.settle(jobId, 'cancelled', { message: 'Cancelled before it started' });
      return true;
    }
    const job = this.running.get(jobId);
    if (!job) {
      if (isFinished(this.store.get(jobId).status)) return false;
      throw notFound(`Running job ${jobId}`);
    }
    if (job.settled) return false;
    job.cancelRequested = true;
    job.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    job.killTimer ??= setTimeout(() => this.kill(jobId, job), this.graceMs);
    return true;
  }

  /** Stops every worker (app shutdown); their jobs are recorded as interrupted. */
  async close(): Promise<void> {
    this.queue.length = 0;
    const stops = [...this.running.values()].map((j) => terminateWithin(j.worker, this.graceMs));
    await Promise.all(stops);
    this.store.recoverInterrupted();
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrent && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      this.launch(id);
    }
  }

  private launch(id: string): void {
    const info = this.store.setStatus(id, 'running');
    this.opts.bus.emit('jobs:changed', info);
    const workerData = { jobId: id, kind: info.kind, params: this.store.params(id), workspaceRoot: this.opts.workspaceRoot } as JobWorkerData;
    const worker = (this.opts.startWorker ?? startJobWorker)(workerData);
    const job: RunningJob = { kind: info.kind, worker, cancelRequested: false, settled: false, lastPersist: 0, killTimer: null };
    this.running.set(id, job);
    worker.on('message', (m: FromWorker) => this.onMessage(id, job, m));
    worker.on('error', (err) => {
      if (!job.settled) this.settle(id, job.cancelRequested ? 'cancelled' : 'failed', { error: err.message });
    });
    worker.on('exit', (code) => {
      if (job.killTimer) clearTimeout(job.killTimer);
      if (!job.settled) {
        this.settle(id, job.cancelRequested ? 'cancelled' : 'failed', {
          error: job.cancelRequested ? undefined : `the job worker stopped unexpectedly (exit code ${code})`,
        });
      }
      this.release(id, job);
    });
  }

  /**
   * Hard stop after the grace period: terminate the worker, settle the job and free its slot now.
   * terminate() cannot interrupt a thread blocked in a system call (open() of a FIFO, a hung mount),
   * so the slot must not wait for the worker's 'exit'.
   */
  private kill(id: string, job: RunningJob): void {
    void job.worker.terminate().catch(() => {});
    if (!job.settled) {
      const secs = `${Number((this.graceMs / 1000).toFixed(1))} s`;
      this.settle(id, job.cancelRequested ? 'cancelled' : 'failed', {
        message: `The job did not stop within ${secs} of the cancel request; its worker was terminated`,
      });
    }
    this.release(id, job);
  }

  /** Forgets a running job (once) and starts queued ones in its slot. */
  private release(id: string, job: RunningJob): void {
    if (this.running.get(id) !== job) return;
    this.running.delete(id);
    this.pump();
  }

  private onMessage(id: string, job: RunningJob, m: FromWorker): void {
    switch (m.type) {
      case 'progress': {
        this.opts.bus.emit('jobs:progress', { jobId: id, kind: job.kind, value: m.value, message: m.message });
        const now = Date.now();
        if (m.value >= 1 || now - job.lastPersist >= PERSIST_EVERY_MS) {
          job.lastPersist = now;
          this.store.progress(id, m.value, m.message);
        }
        return;
      }
      case 'done':
        this.settle(id, m.cancelled ? 'cancelled' : 'done', { result: m.result });
        if (m.datasetId !== null) this.opts.bus.emit('dataset:changed', { datasetId: m.datasetId, reason: `${job.kind} finished` });
        return;
      case 'error':
        this.settle(id, job.cancelRequested ? 'cancelled' : 'failed', { error: m.error.message });
        return;
      default:
        assertNever(m, 'worker message');
    }
  }

  private settle(id: string, status: 'done' | 'failed' | 'cancelled', fields: { result?: unknown; error?: string; message?: string }): void {
    const job = this.running.get(id);
    if (job) {
      if (job.settled) return;
      job.settled = true;
      // A finished worker exits on its own; make sure a stuck one cannot hold the queue.
      job.killTimer ??= setTimeout(() => this.kill(id, job), this.graceMs);
      job.killTimer.unref();
    }
    const info = this.store.finish(id, status, fields);
    this.opts.bus.emit('jobs:changed', info);
    for (const resolve of this.waiters.get(id) ?? []) resolve(info);
    this.waiters.delete(id);
  }
}

/** worker.terminate(), but gives up waiting after ms (a thread blocked in a system call never finishes terminating). */
function terminateWithin(worker: Worker, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    worker.terminate().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => resolve(),
    );
  });
}

function isFinished(status: JobStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
