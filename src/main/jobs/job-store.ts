/** The jobs table: create, progress, finish, read, and crash recovery of jobs a dead process left running. */
import type { JobInfo, JobKind, JobStatus } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';

export const INTERRUPTED_ERROR = 'interrupted (the app closed during the job); run it again — finished files are reused';

interface JobRow {
  id: string;
  kind: JobKind;
  status: JobStatus;
  value: number;
  message: string;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  result_json: string | null;
}

function toInfo(r: JobRow): JobInfo {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    value: r.value,
    message: r.message,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    error: r.error,
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
  };
}

export class JobStore {
  constructor(private readonly db: Db) {}

  /** Marks jobs left 'queued'/'running' by a crashed or closed process as failed; returns how many. */
  recoverInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE jobs SET status = 'failed', error = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE status IN ('queued', 'running')`,
      )
      .run(INTERRUPTED_ERROR).changes;
  }

  insert(id: string, kind: JobKind, params: unknown): JobInfo {
    this.db.prepare(`INSERT INTO jobs (id, kind, status, params_json) VALUES (?, ?, 'queued', ?)`).run(id, kind, JSON.stringify(params));
    return this.get(id);
  }

  params(id: string): unknown {
    const row = this.db.prepare('SELECT params_json FROM jobs WHERE id = ?').get(id) as { params_json: string } | undefined;
    if (!row) throw notFound(`Job ${id}`);
    return JSON.parse(row.params_json) as unknown;
  }

  setStatus(id: string, status: JobStatus): JobInfo {
    this.db.prepare('UPDATE jobs SET status = ? WHERE id = ?').run(status, id);
    return this.get(id);
  }

  progress(id: string, value: number, message: string): void {
    this.db.prepare('UPDATE jobs SET value = ?, message = ? WHERE id = ?').run(value, message, id);
  }

  finish(id: string, status: Exclude<JobStatus, 'queued' | 'running'>, fields: { result?: unknown; error?: string; message?: string }): JobInfo {
    this.db
      .prepare(
        `UPDATE jobs SET status = ?, result_json = ?, error = ?, message = COALESCE(?, message),
           value = CASE WHEN ? = 'done' THEN 1 ELSE value END,
           finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE id = ?`,
      )
      .run(status, fields.result === undefined ? null : JSON.stringify(fields.result), fields.error ?? null, fields.message ?? null, status, id);
    return this.get(id);
  }

  get(id: string): JobInfo {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw notFound(`Job ${id}`);
    return toInfo(row);
  }

  list(limit = 200): JobInfo[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as JobRow[]).map(toInfo);
  }
}
