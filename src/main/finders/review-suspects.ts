/** Review actions on a finder's queue: each is the ordinary sample edit (drop, relabel) with the run as its audit-log source. */
import type { EditResult, SampleEdit } from '../../shared/domain';
import { finderSource, type ReviewAction, type ReviewState } from '../../shared/finder-runs';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { applyEdit, undoState } from '../datasets/sample-edits';
import { EFFECTIVE_REVIEW, getRun, markReviewed } from './finder-store';

export interface ReviewResult extends EditResult {
  datasetId: number;
  /** Suspects whose review state changed. */
  reviewed: number[];
}

function requireSuspects(db: Db, runId: number, sampleIds: readonly number[]): void {
  const found = stmt(db, 'SELECT COUNT(*) AS n FROM finder_suspects WHERE run_id = ? AND sample_id IN (SELECT value FROM json_each(?))').get(
    runId,
    JSON.stringify([...new Set(sampleIds)]),
  ) as { n: number };
  if (found.n !== new Set(sampleIds).size) throw new StudioError('invalid-args', `some samples are not suspects of finder run ${runId}`);
}

/** The other open members of keepSampleId's duplicate group. */
function groupMates(db: Db, runId: number, keepSampleId: number): number[] {
  const row = stmt(db, 'SELECT grp FROM finder_suspects WHERE run_id = ? AND sample_id = ?').get(runId, keepSampleId) as { grp: number | null } | undefined;
  if (!row) throw new StudioError('invalid-args', `sample ${keepSampleId} is not a suspect of finder run ${runId}`);
  if (row.grp === null) throw new StudioError('invalid-args', `"keep one" needs a duplicate group; sample ${keepSampleId} has none`);
  return (
    stmt(
      db,
      `SELECT f.sample_id AS id FROM finder_suspects f LEFT JOIN changes ch ON ch.id = f.change_id
       WHERE f.run_id = ? AND f.grp = ? AND f.sample_id != ? AND ${EFFECTIVE_REVIEW} = 'open' ORDER BY f.rank`,
    ).all(
      runId,
      row.grp,
      keepSampleId,
    ) as { id: number }[]
  ).map((r) => r.id);
}

/** A duplicate group whose other members are all dropped is settled: its last open member is marked kept (tied to the drop, so undo reopens it). */
function settleGroups(db: Db, runId: number, sampleIds: readonly number[], changeId: number | null): number[] {
  const groups = stmt(db, 'SELECT DISTINCT grp FROM finder_suspects WHERE run_id = ? AND grp IS NOT NULL AND sample_id IN (SELECT value FROM json_each(?))').all(
    runId,
    JSON.stringify(sampleIds),
  ) as { grp: number }[];
  const settled: number[] = [];
  for (const { grp } of groups) {
    const open = stmt(
      db,
      `SELECT f.sample_id AS id FROM finder_suspects f LEFT JOIN changes ch ON ch.id = f.change_id
       WHERE f.run_id = ? AND f.grp = ? AND ${EFFECTIVE_REVIEW} = 'open'`,
    ).all(runId, grp) as { id: number }[];
    if (open.length === 1) {
      markReviewed(db, runId, [open[0].id], 'kept', changeId);
      settled.push(open[0].id);
    }
  }
  return settled;
}

/** Applies one review action in one transaction: the edit (if any) and the review states together. */
export function reviewSuspects(db: Db, runId: number, action: ReviewAction): ReviewResult {
  return db.transaction((): ReviewResult => {
    const run = getRun(db, runId);
    if (run.status !== 'done') throw new StudioError('conflict', `finder run ${runId} is ${run.status}; only a finished run's queue can be reviewed`);
    const source = finderSource(run.finder, runId);
    const edit = (e: SampleEdit, marks: [number[], ReviewState][]): ReviewResult => {
      const result = applyEdit(db, run.datasetId, e, 'user', source);
      for (const [ids, state] of marks) markReviewed(db, runId, ids, state, result.change?.id ?? null);
      return { ...result, datasetId: run.datasetId, reviewed: marks.flatMap(([ids]) => ids) };
    };
    switch (action.kind) {
      case 'keep':
        requireSuspects(db, runId, action.sampleIds);
        markReviewed(db, runId, action.sampleIds, 'kept', null);
        return { change: null, undo: undoState(db, run.datasetId), datasetId: run.datasetId, reviewed: action.sampleIds };
      case 'drop': {
        requireSuspects(db, runId, action.sampleIds);
        const result = edit({ kind: 'drop', sampleIds: action.sampleIds, reason: action.reason }, [[action.sampleIds, 'dropped']]);
        return { ...result, reviewed: [...result.reviewed, ...settleGroups(db, runId, action.sampleIds, result.change?.id ?? null)] };
      }
      case 'relabel':
        requireSuspects(db, runId, action.sampleIds);
        return edit({ kind: 'relabel', sampleIds: action.sampleIds, classId: action.classId }, [[action.sampleIds, 'relabeled']]);
      case 'keep-one': {
        const others = groupMates(db, runId, action.keepSampleId);
        if (others.length === 0) {
          markReviewed(db, runId, [action.keepSampleId], 'kept', null);
          return { change: null, undo: undoState(db, run.datasetId), datasetId: run.datasetId, reviewed: [action.keepSampleId] };
        }
        const kept = stmt(db, 'SELECT original_path AS p FROM samples WHERE id = ?').get(action.keepSampleId) as { p: string };
        const name = kept.p.split(/[\\/]/).pop() ?? kept.p;
        return edit({ kind: 'drop', sampleIds: others, reason: `duplicate of ${name}`.slice(0, 200) }, [
          [others, 'dropped'],
          [[action.keepSampleId], 'kept'],
        ]);
      }
    }
  }).immediate();
}
