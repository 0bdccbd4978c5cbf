/**
 * Cross-process ownership of an eval run: the process computing it claims it (pid + start time) in one SQLite
 * transaction, so a second resume — in this process or another — is refused, and a claim whose process is gone
 * (kill -9, crash) is recognised as stale and the run marked interrupted.
 */
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound } from '../errors';
import { isProcessAlive, ownStartTime } from '../system/process-identity';

interface ClaimRow {
  name: string;
  status: string;
  claimPid: number | null;
  claimStarted: string | null;
}

export const INTERRUPTED_RUN_ERROR = 'interrupted: the process running it stopped (app closed, crash or kill); resume to finish the remaining samples';

/** Claims the run for this process and marks it running; throws conflict while a live process holds it. */
export function claimRun(db: Db, runId: number): void {
  db.transaction(() => {
    const row = stmt(db, 'SELECT name, status, claim_pid AS claimPid, claim_started AS claimStarted FROM eval_runs WHERE id = ?').get(runId) as ClaimRow | undefined;
    if (!row) throw notFound(`eval run ${runId}`);
    if (row.claimPid !== null && isProcessAlive(row.claimPid, row.claimStarted)) {
      const who = row.claimPid === process.pid ? 'this process' : `process ${row.claimPid}`;
      throw conflict(`Eval ${runId} ("${row.name}") is already running in ${who}`);
    }
    stmt(
      db,
      `UPDATE eval_runs SET claim_pid = ?, claim_started = ?, status = 'running', error = NULL, finished_at = NULL,
         started_at = COALESCE(started_at, ?) WHERE id = ?`,
    ).run(process.pid, ownStartTime(), nowIso(), runId);
  }).immediate();
}

/** Drops this process's claim (the run's status is whatever the eval left). */
export function releaseRun(db: Db, runId: number): void {
  stmt(db, 'UPDATE eval_runs SET claim_pid = NULL, claim_started = NULL WHERE id = ? AND claim_pid = ?').run(runId, process.pid);
}

/** The work on a run stopped without its own bookkeeping (cancelled before it ran, worker terminated, app shutdown): claim dropped. */
export function abandonRun(db: Db, runId: number, status: 'interrupted' | 'cancelled'): void {
  stmt(
    db,
    `UPDATE eval_runs SET status = CASE WHEN status IN ('queued', 'running') THEN ? ELSE status END,
       error = CASE WHEN status IN ('queued', 'running') THEN ? ELSE error END, claim_pid = NULL, claim_started = NULL
     WHERE id = ? AND (claim_pid IS NULL OR claim_pid = ?)`,
  ).run(status, status === 'interrupted' ? INTERRUPTED_RUN_ERROR : null, runId, process.pid);
}

/** Marks runs whose claimant process is gone as interrupted and drops their claims; returns their ids. */
export function recoverDeadClaims(db: Db): number[] {
  const claimed = stmt(db, 'SELECT id, claim_pid AS claimPid, claim_started AS claimStarted FROM eval_runs WHERE claim_pid IS NOT NULL').all() as {
    id: number;
    claimPid: number;
    claimStarted: string | null;
  }[];
  const dead = claimed.filter((r) => !isProcessAlive(r.claimPid, r.claimStarted));
  const mark = stmt(
    db,
    `UPDATE eval_runs SET status = CASE WHEN status IN ('queued', 'running') THEN 'interrupted' ELSE status END,
       error = CASE WHEN status IN ('queued', 'running') THEN ? ELSE error END, claim_pid = NULL, claim_started = NULL
     WHERE id = ? AND claim_pid = ? AND claim_started IS ?`,
  );
  db.transaction(() => {
    for (const r of dead) mark.run(INTERRUPTED_RUN_ERROR, r.id, r.claimPid, r.claimStarted);
  }).immediate();
  return dead.map((r) => r.id);
}

/** The pid of the live process computing the run, or null (a dead claimant's claim is recovered first). */
export function liveClaimant(db: Db, runId: number): number | null {
  recoverDeadClaims(db);
  const pid = stmt(db, 'SELECT claim_pid FROM eval_runs WHERE id = ?').pluck(true).get(runId) as number | null | undefined;
  return pid ?? null;
}
