/** The jobs table: create, progress, external references and log offsets, owner lookups, and exactly-once finishing. */
import { JOB_OWNER_KINDS, JOB_STATUSES, type FinishedJobStatus, type JobBackend, type JobInfo, type JobOwner, type JobStatus } from '../../shared/jobs';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';
import { ownStartTime } from '../system/process-identity';

export const INTERRUPTED_ERROR = 'interrupted (the app closed during the job); run it again — finished work is reused';

interface JobRow {
  id: string;
  kind: string;
  status: string;
  value: number;
  message: string;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  result_json: string | null;
  owner_kind: string | null;
  owner_id: number | null;
}

/** A live job as recovery sees it at start-up. */
export interface LiveJobRow {
  id: string;
  kind: string;
  status: 'queued' | 'running';
  externalRef: string | null;
  logOffset: number;
  hostPid: number | null;
  hostStarted: string | null;
}

function toOwner(kind: string | null, id: number | null): JobOwner | null {
  const known = JOB_OWNER_KINDS.find((k) => k === kind);
  return known && id !== null ? { kind: known, id } : null;
}

function toInfo(r: JobRow): JobInfo {
  const status = JOB_STATUSES.find((s) => s === r.status);
  if (!status) throw new Error(`job ${r.id} has an unknown status "${r.status}"`);
  return {
    id: r.id,
    kind: r.kind,
    status,
    value: r.value,
    message: r.message,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    error: r.error,
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
    owner: toOwner(r.owner_kind, r.owner_id),
  } as JobInfo;
}

export class JobStore {
  constructor(private readonly db: Db) {}

  insert(id: string, kind: string, params: unknown, backend: JobBackend, owner: JobOwner | null): JobInfo {
    this.db
      .prepare(`INSERT INTO jobs (id, kind, status, params_json, backend, owner_kind, owner_id) VALUES (?, ?, 'queued', ?, ?, ?, ?)`)
      .run(id, kind, JSON.stringify(params), backend, owner?.kind ?? null, owner?.id ?? null);
    return this.get(id);
  }

  params(id: string): unknown {
    const row = this.db.prepare('SELECT params_json FROM jobs WHERE id = ?').get(id) as { params_json: string } | undefined;
    if (!row) throw notFound(`Job ${id}`);
    return JSON.parse(row.params_json) as unknown;
  }

  /** Starts a queued job in this process (recorded as its host). */
  setRunning(id: string): JobInfo {
    this.db.prepare(`UPDATE jobs SET status = 'running', host_pid = ?, host_started = ? WHERE id = ? AND status = 'queued'`).run(process.pid, ownStartTime(), id);
    return this.get(id);
  }

  /** Takes over a live job from the host recorded in `row` (only one process wins); false when another got it first. */
  takeOver(row: LiveJobRow): boolean {
    return (
      this.db
        .prepare(`UPDATE jobs SET host_pid = ?, host_started = ? WHERE id = ? AND host_pid IS ? AND host_started IS ? AND status IN ('queued', 'running')`)
        .run(process.pid, ownStartTime(), row.id, row.hostPid, row.hostStarted).changes === 1
    );
  }

  /** This process stops driving the job (it keeps running detached); the next studio start re-attaches at once. */
  releaseHost(id: string): void {
    this.db.prepare('UPDATE jobs SET host_pid = NULL, host_started = NULL WHERE id = ? AND host_pid = ?').run(id, process.pid);
  }

  progress(id: string, value: number, message: string): void {
    this.db.prepare('UPDATE jobs SET value = ?, message = ? WHERE id = ?').run(value, message, id);
  }

  setExternalRef(id: string, ref: string): void {
    this.db.prepare('UPDATE jobs SET external_ref = ? WHERE id = ?').run(ref, id);
  }

  setLogOffset(id: string, offset: number): void {
    this.db.prepare('UPDATE jobs SET log_offset = ? WHERE id = ?').run(offset, id);
  }

  setOwner(id: string, owner: JobOwner): void {
    this.db.prepare('UPDATE jobs SET owner_kind = ?, owner_id = ? WHERE id = ?').run(owner.kind, owner.id, id);
  }

  /** Finishes a live job; null when it had already finished (another process or an earlier event won), so it ends exactly once. */
  finish(id: string, status: FinishedJobStatus, fields: { result?: unknown; error?: string; message?: string }): JobInfo | null {
    const changes = this.db
      .prepare(
        `UPDATE jobs SET status = ?, result_json = ?, error = ?, message = COALESCE(?, message),
           value = CASE WHEN ? = 'done' THEN 1 ELSE value END,
           finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(status, fields.result === undefined ? null : JSON.stringify(fields.result), fields.error ?? null, fields.message ?? null, status, id).changes;
    return changes === 0 ? null : this.get(id);
  }

  /** Jobs a previous process left queued or running. */
  live(): LiveJobRow[] {
    return this.db
      .prepare(`SELECT id, kind, status, external_ref AS externalRef, log_offset AS logOffset, host_pid AS hostPid, host_started AS hostStarted FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid`)
      .all() as LiveJobRow[];
  }

  /** The queued or running job of an owner (an eval run, a model), through the owner index. */
  activeFor(owner: JobOwner): JobInfo | null {
    const row = this.db
      .prepare(`SELECT * FROM jobs WHERE owner_kind = ? AND owner_id = ? AND status IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1`)
      .get(owner.kind, owner.id) as JobRow | undefined;
    return row ? toInfo(row) : null;
  }

  get(id: string): JobInfo {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw notFound(`Job ${id}`);
    return toInfo(row);
  }

  status(id: string): JobStatus {
    return this.get(id).status;
  }

  list(limit = 200): JobInfo[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as JobRow[]).map(toInfo);
  }
}
