/**
 * The inference host: eval jobs run in ONE long-lived worker thread per workspace (not one thread per job), several
 * at once as interleaved async work over one ONNX session cache, because onnxruntime sessions cannot move between
 * threads and evals of a base and its fine-tunes should load the sessions they have in common once.
 *
 * - One thread (not one per device): a CPU and a CUDA session live side by side in one thread, and a second thread
 *   would only duplicate the sessions the runs could share. Up to `maxRuns` (default 4) runs are in flight in it; the
 *   JobManager keeps further eval jobs queued (the executor's own slot pool, apart from the other thread jobs).
 * - A run's error or cancel ends that job only. A crash of the thread interrupts every job in it (resumable).
 * - A run that ignores cancel past the grace period cannot be stopped alone: its thread is retired (new runs go to a
 *   fresh thread) and terminated once its other runs have finished, or at once when it holds no other run.
 * - The thread is stopped after `idleMs` without runs; sessions are released as soon as no run holds them anyway.
 */
import type { Worker } from 'node:worker_threads';
import type { JobParamsMap, JobResultMap } from '../../shared/jobs';
import { assertNever } from '../../shared/assert-never';
import type { JobEvents, JobExecutor, JobRun } from './job-kind';
import type { FromHost, InferenceHostData, InferenceHostStats, ToHost } from './inference-host-messages';
import { terminateWithin } from './thread-executor';
import { startJobWorker } from './worker-entry';

export type StartHostThread = (data: InferenceHostData) => Worker;
type EvalEvents = JobEvents<JobResultMap['eval']>;

export interface InferenceHostOptions {
  /** Eval runs in flight at once in the thread (default 4). */
  maxRuns?: number;
  /** How long the thread waits without runs before it stops (default 60 s). */
  idleMs?: number;
  /** Starts the thread (default: the job worker script in host mode); tests wrap it to reach the Worker. */
  start?: StartHostThread;
}

interface HostThread {
  root: string;
  worker: Worker;
  runs: Map<string, EvalEvents>;
  statsWaiters: Map<number, (s: InferenceHostStats | null) => void>;
  retired: boolean;
  idleTimer: NodeJS.Timeout | null;
  crash: string | null;
}

export class InferenceHost {
  readonly maxRuns: number;
  private readonly idleMs: number;
  private readonly startThread: StartHostThread;
  private readonly current = new Map<string, HostThread>();
  private readonly threads = new Set<HostThread>();
  private nextRequest = 0;

  constructor(opts: InferenceHostOptions = {}) {
    this.maxRuns = Math.max(1, opts.maxRuns ?? 4);
    this.idleMs = opts.idleMs ?? 60_000;
    this.startThread = opts.start ?? ((data) => startJobWorker(data));
  }

  /** Starts one eval run in the workspace's host thread (started on demand). */
  run(root: string, jobId: string, runId: number, events: EvalEvents): JobRun {
    const t = this.current.get(root) ?? this.spawn(root);
    t.runs.set(jobId, events);
    if (t.idleTimer) clearTimeout(t.idleTimer);
    t.idleTimer = null;
    t.worker.ref();
    this.post(t, { type: 'start', jobId, runId });
    return {
      cancel: () => this.post(t, { type: 'cancel', jobId }),
      kill: () => {
        t.runs.delete(jobId);
        this.retire(t);
        if (t.runs.size === 0) void this.stop(t, 0);
      },
      detach: async (graceMs) => {
        t.runs.delete(jobId);
        if (t.runs.size === 0) await this.stop(t, graceMs);
        return false;
      },
    };
  }

  /** The session cache of the workspace's current thread: live sessions and how many were created per role (null: no thread). */
  stats(root: string): Promise<InferenceHostStats | null> {
    const t = this.current.get(root);
    if (!t) return Promise.resolve(null);
    const requestId = ++this.nextRequest;
    return new Promise((resolve) => {
      t.statsWaiters.set(requestId, resolve);
      this.post(t, { type: 'stats', requestId });
    });
  }

  /** Stops every thread (app shutdown; the JobManager has settled their jobs as interrupted first). */
  async close(graceMs = 2_000): Promise<void> {
    await Promise.all([...this.threads].map((t) => this.stop(t, graceMs)));
  }

  private spawn(root: string): HostThread {
    const worker = this.startThread({ role: 'inference-host', workspaceRoot: root });
    const t: HostThread = { root, worker, runs: new Map(), statsWaiters: new Map(), retired: false, idleTimer: null, crash: null };
    this.current.set(root, t);
    this.threads.add(t);
    worker.on('message', (m: FromHost) => this.onMessage(t, m));
    worker.on('error', (err) => (t.crash = err.message));
    worker.on('exit', (code) => this.onExit(t, code));
    return t;
  }

  private onMessage(t: HostThread, m: FromHost): void {
    switch (m.type) {
      case 'progress':
        t.runs.get(m.jobId)?.progress(m.value, m.message);
        return;
      case 'done':
      case 'error': {
        const events = t.runs.get(m.jobId);
        if (!events) return;
        this.forget(t, m.jobId);
        if (m.type === 'done') events.done(m.result, m.result.status === 'cancelled');
        else events.failed(m.error.message);
        events.exited('the eval run ended in the inference thread');
        return;
      }
      case 'stats':
        t.statsWaiters.get(m.requestId)?.(m.stats);
        t.statsWaiters.delete(m.requestId);
        return;
      default:
        assertNever(m, 'inference host message');
    }
  }

  /** The thread is gone: the runs still in it were cut off mid-way and are interrupted (resumable), each job once. */
  private onExit(t: HostThread, code: number): void {
    this.threads.delete(t);
    if (this.current.get(t.root) === t) this.current.delete(t.root);
    if (t.idleTimer) clearTimeout(t.idleTimer);
    const detail = `the inference thread stopped: ${t.crash ?? `exit code ${code}`}`;
    const cut = [...t.runs.values()];
    t.runs.clear();
    for (const events of cut) events.interrupted(detail);
    for (const resolve of t.statsWaiters.values()) resolve(null);
    t.statsWaiters.clear();
  }

  private forget(t: HostThread, jobId: string): void {
    t.runs.delete(jobId);
    if (t.runs.size > 0) return;
    if (t.retired) {
      void this.stop(t, 0);
      return;
    }
    // Idle: let the process exit without waiting on it, and stop it after a while.
    t.worker.unref();
    t.idleTimer = setTimeout(() => void this.stop(t, 0), this.idleMs);
    t.idleTimer.unref();
  }

  /** No new runs go to this thread; forget() stops it when its remaining runs are over. */
  private retire(t: HostThread): void {
    t.retired = true;
    if (this.current.get(t.root) === t) this.current.delete(t.root);
  }

  private async stop(t: HostThread, graceMs: number): Promise<void> {
    this.retire(t);
    if (!this.threads.has(t)) return;
    await terminateWithin(t.worker, graceMs);
  }

  private post(t: HostThread, m: ToHost): void {
    t.worker.postMessage(m);
  }
}

/** The eval kind's executor on the inference host; its slot pool lets `maxRuns` evals run beside the other thread jobs. */
export function inferenceHostExecutor(host: InferenceHost): JobExecutor<JobParamsMap['eval'], JobResultMap['eval']> {
  return {
    backend: 'thread',
    slots: { pool: 'inference-host', size: host.maxRuns },
    reattach: () => null,
    run: (ctx) => host.run(ctx.workspaceRoot, ctx.jobId, ctx.params.runId, ctx.events),
  };
}
