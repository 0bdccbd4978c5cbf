/**
 * The job-kind contract: each kind declares its params and result schemas and an executor that can run its work
 * and, where the work outlives this process (child process now; SSH host, cloud later), re-attach to it.
 */
import type { SecretName } from '../../shared/secret-names';
import type { z } from 'zod';
import type { FinishedJobStatus, JobBackend, JobOwner } from '../../shared/jobs';
import type { Db } from '../db/open-database';

/** What an executor reports about one job; the JobManager persists and broadcasts it. */
export interface JobEvents<R> {
  progress(value: number, message: string): void;
  /** The work now runs where a later process can find it again through this reference; stored at once. */
  attached(externalRef: string): void;
  /** Bytes of the work's log consumed so far; stored, so a re-attach continues from there. */
  logOffset(offset: number): void;
  datasetChanged(datasetId: number): void;
  done(result: R | null, cancelled: boolean): void;
  failed(message: string): void;
  /** The thread or process is gone: its slot is free (after done/failed, or instead of them when it died). */
  exited(detail: string): void;
  /** The thread hosting the work died with the work unfinished (resumable): the job is interrupted and its slot freed. */
  interrupted(detail: string): void;
}

/** A handle on work in progress, however it runs. */
export interface JobRun {
  /** Cooperative stop: the work ends at its next checkpoint and reports done(…, cancelled = true) or exits. */
  cancel(): void;
  /** Hard stop after the grace period. */
  kill(): void;
  /** App shutdown: stop following. Resolves true when the work keeps running on its own (re-attachable later). */
  detach(graceMs: number): Promise<boolean>;
}

export interface JobRunContext<P, R> {
  jobId: string;
  kind: string;
  params: P;
  workspaceRoot: string;
  events: JobEvents<R>;
  /** Log offset already consumed (0 for a new job; the stored offset on re-attach). */
  logOffset: number;
  /** A secret for this job, read when needed: the value given with this job (memory only), else the studio's store. */
  secret?(name: SecretName): string | undefined;
}

export interface JobExecutor<P, R> {
  readonly backend: JobBackend;
  /** Thread jobs of a named pool run up to `size` at once beside the others (default: the JobManager's maxConcurrent slots). */
  readonly slots?: { pool: string; size: number };
  /** Where these params' work runs when it depends on them (a fine-tune's spec.backend); default `backend`. */
  backendOf?(params: P): JobBackend;
  run(ctx: JobRunContext<P, R>): JobRun;
  /** Follows work an earlier process started (nothing is started again); null when this backend's work dies with its process. */
  reattach(externalRef: string, ctx: JobRunContext<P, R>): JobRun | null;
}

export interface JobKindDef<P, R> {
  kind: string;
  params: z.ZodType<P>;
  result: z.ZodType<R>;
  executor: JobExecutor<P, R>;
  /** What the job works on (e.g. its eval run), stored as the job's owner link. */
  owner?(params: P): JobOwner | null;
  /** What the finished job produced (e.g. the downloaded model), replacing the owner link. */
  producedOwner?(result: R): JobOwner | null;
  /** Bookkeeping right after the job row is created (e.g. the fine-tune's 'queued' phase stamp). */
  onCreated?(db: Db, params: P, jobId: string): void;
  /** Bookkeeping when the work stopped without finishing its own (cancelled before it ran, worker terminated, interrupted, failed). */
  onStopped?(db: Db, params: P, status: FinishedJobStatus, jobId: string): void;
}

/** A kind with its types erased, as the registry holds it. */
export type AnyJobKindDef = JobKindDef<unknown, unknown>;

export function eraseKind<P, R>(def: JobKindDef<P, R>): AnyJobKindDef {
  return def as unknown as AnyJobKindDef;
}
