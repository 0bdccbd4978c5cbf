/** finder_runs and finder_suspects: the stored review queues, read and written by the runner, IPC handlers and the CLI. */
import type { FinderName, Suspect } from '../../shared/finder-types';
import type { FinderRun, FinderRunStatus, ReviewState, SuspectView } from '../../shared/finder-runs';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import type { FinderSample } from './finder';
import { imagePath, type Workspace } from '../workspace/workspace';

interface RunRow {
  id: number;
  datasetId: number;
  finder: FinderName;
  optionsJson: string;
  jobId: string | null;
  status: FinderRunStatus;
  sampleCount: number;
  suspectCount: number;
  openCount: number;
  statsJson: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A suspect whose review edit was undone is open again (redo makes it reviewed again): the change's state decides. */
export const EFFECTIVE_REVIEW = "(CASE WHEN f.change_id IS NOT NULL AND ch.state <> 'applied' THEN 'open' ELSE f.review END)";

const RUN_SELECT = `SELECT r.id, r.dataset_id AS datasetId, r.finder, r.options_json AS optionsJson, r.job_id AS jobId, r.status,
  r.sample_count AS sampleCount, r.suspect_count AS suspectCount,
  (SELECT COUNT(*) FROM finder_suspects f LEFT JOIN changes ch ON ch.id = f.change_id WHERE f.run_id = r.id AND ${EFFECTIVE_REVIEW} = 'open') AS openCount,
  r.stats_json AS statsJson, r.error, r.created_at AS createdAt, r.finished_at AS finishedAt FROM finder_runs r`;

function toRun(row: RunRow): FinderRun {
  const { optionsJson, statsJson, ...rest } = row;
  return { ...rest, options: JSON.parse(optionsJson) as Record<string, unknown>, stats: statsJson ? (JSON.parse(statsJson) as Record<string, unknown>) : null };
}

/** The dataset's active samples as finders see them (stored file path, original path, label, size). */
export function loadFinderSamples(ws: Pick<Workspace, 'db' | 'imagesDir'>, datasetId: number): FinderSample[] {
  const rows = stmt(
    ws.db,
    `SELECT s.id AS sampleId, s.image_hash AS sha256, i.ext, s.original_path AS originalPath, c.name AS className, i.width, i.height
     FROM samples s JOIN images i ON i.hash = s.image_hash LEFT JOIN classes c ON c.id = s.class_id
     WHERE s.dataset_id = ? AND s.status = 'active' ORDER BY s.id`,
  ).all(datasetId) as (Omit<FinderSample, 'path'> & { ext: string })[];
  return rows.map(({ ext, ...r }) => ({ ...r, path: imagePath(ws, r.sha256, ext) }));
}

export function createRun(db: Db, datasetId: number, finder: FinderName, options: unknown, jobId: string | null, sampleCount: number): number {
  return Number(
    stmt(db, 'INSERT INTO finder_runs (dataset_id, finder, options_json, job_id, sample_count) VALUES (?, ?, ?, ?, ?)').run(
      datasetId,
      finder,
      JSON.stringify(options),
      jobId,
      sampleCount,
    ).lastInsertRowid,
  );
}

/** Stores the ranked suspects and marks the run done, in one transaction (a queue is complete or absent). */
export function saveSuspects(db: Db, runId: number, suspects: readonly Suspect[], stats: Record<string, unknown> | null): void {
  db.transaction(() => {
    const insert = stmt(
      db,
      'INSERT INTO finder_suspects (run_id, sample_id, rank, score, reason, grp, suggested_label, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    suspects.forEach((s, i) => insert.run(runId, s.sampleId, i + 1, s.score, s.reason, s.group, s.suggestedLabel, JSON.stringify(s.detail)));
    stmt(db, "UPDATE finder_runs SET status = 'done', suspect_count = ?, stats_json = ?, finished_at = ? WHERE id = ?").run(
      suspects.length,
      stats ? JSON.stringify(stats) : null,
      nowIso(),
      runId,
    );
  }).immediate();
}

export function endRun(db: Db, runId: number, status: 'failed' | 'cancelled', error: string | null): void {
  stmt(db, 'UPDATE finder_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, nowIso(), runId);
}

/** Closes the dataset's still-running runs of a finder whose job stopped without finishing them (worker died, cancelled early). */
export function abandonFinderRuns(db: Db, datasetId: number, finder: FinderName, status: 'failed' | 'cancelled'): void {
  stmt(db, "UPDATE finder_runs SET status = ?, error = ?, finished_at = ? WHERE dataset_id = ? AND finder = ? AND status = 'running'").run(
    status,
    status === 'failed' ? 'the finder job stopped before it finished' : null,
    nowIso(),
    datasetId,
    finder,
  );
}

export function getRun(db: Db, runId: number): FinderRun {
  const row = stmt(db, `${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunRow | undefined;
  if (!row) throw new StudioError('not-found', `finder run ${runId} not found`);
  return toRun(row);
}

/** Newest first. */
export function listRuns(db: Db, datasetId: number): FinderRun[] {
  return (stmt(db, `${RUN_SELECT} WHERE r.dataset_id = ? ORDER BY r.id DESC LIMIT 200`).all(datasetId) as RunRow[]).map(toRun);
}

/** The run's suspects in rank order (optionally only one review state). */
export function listSuspects(db: Db, runId: number, review?: ReviewState, limit = 5000): SuspectView[] {
  getRun(db, runId);
  const rows = stmt(
    db,
    `SELECT f.run_id AS runId, f.sample_id AS sampleId, f.rank, f.score, f.reason, f.grp AS "group", f.suggested_label AS suggestedLabel,
       f.detail_json AS detailJson, ${EFFECTIVE_REVIEW} AS review, s.image_hash AS imageHash, s.original_path AS originalPath, c.name AS className,
       s.class_id AS classId, s.status, s.drop_reason AS dropReason, s.split, s.notes, i.width, i.height, i.format, i.bytes, s.updated_at AS updatedAt
     FROM finder_suspects f JOIN samples s ON s.id = f.sample_id JOIN images i ON i.hash = s.image_hash LEFT JOIN classes c ON c.id = s.class_id
       LEFT JOIN changes ch ON ch.id = f.change_id
     WHERE f.run_id = ? AND (? IS NULL OR ${EFFECTIVE_REVIEW} = ?) ORDER BY f.rank LIMIT ?`,
  ).all(runId, review ?? null, review ?? null, limit) as (Omit<SuspectView, 'detail'> & { detailJson: string })[];
  return rows.map(({ detailJson, ...r }) => ({ ...r, detail: JSON.parse(detailJson) as Record<string, unknown> }));
}

/** Sets the review state of suspects of the run (and the change that did it, if any). Call inside a transaction. */
export function markReviewed(db: Db, runId: number, sampleIds: readonly number[], review: ReviewState, changeId: number | null): void {
  const update = stmt(db, 'UPDATE finder_suspects SET review = ?, change_id = ? WHERE run_id = ? AND sample_id = ?');
  for (const id of sampleIds) update.run(review, changeId, runId, id);
}
