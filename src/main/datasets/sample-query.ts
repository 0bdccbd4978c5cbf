/** Read side of the sample table: filtered, sorted pages (fast at 100k rows), ids in view, single samples. */
import type { Sample, SampleFilter, SamplePage, SamplePageRequest } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { notFound, StudioError } from '../errors';
import { filterSql, fromSql, sortSql } from './sample-filter-sql';

const SAMPLE_COLUMNS = `s.id, s.dataset_id AS datasetId, s.image_hash AS imageHash, s.original_path AS originalPath,
  i.width, i.height, i.format, i.bytes, s.class_id AS classId, c.name AS label, s.split, s.status,
  s.drop_reason AS dropReason, s.notes, s.updated_at AS updatedAt`;
const SAMPLE_FROM = 'samples s JOIN images i ON i.hash = s.image_hash LEFT JOIN classes c ON c.id = s.class_id';

/**
 * One page: first the page's ids (sorting only the columns the key needs), then the full rows for those ids.
 * Keeps the sorter narrow, so a label filter + sort over 100k samples stays well under 100 ms.
 */
export function pageSamples(db: Db, req: SamplePageRequest): SamplePage {
  const offset = req.offset ?? 0;
  const limit = req.limit;
  if (!Number.isInteger(offset) || offset < 0) throw new StudioError('invalid-args', 'offset must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
    throw new StudioError('invalid-args', 'limit must be an integer between 1 and 5000');
  }
  const f = filterSql(req.filter);
  const sort = sortSql(req.sort, req.filter.finderRunId);
  const pageIdsSql = `SELECT s.id FROM ${fromSql(f.needsClasses || sort.needsClasses, sort.needsImages)}
    WHERE ${f.where} ORDER BY ${sort.orderBy} LIMIT ? OFFSET ?`;
  const countSql = `SELECT COUNT(*) FROM ${fromSql(f.needsClasses, false)} WHERE ${f.where}`;
  return db.transaction(() => {
    const total = stmt(db, countSql).pluck(true).get(...f.params) as number;
    const ids = stmt(db, pageIdsSql).pluck(true).all(...f.params, limit, offset) as number[];
    return { total, offset, rows: samplesByIds(db, ids) };
  })();
}

/** Full rows for the given ids, in the given order (ids not found are skipped). */
export function samplesByIds(db: Db, ids: readonly number[]): Sample[] {
  if (ids.length === 0) return [];
  const rows = stmt(db, `SELECT ${SAMPLE_COLUMNS} FROM ${SAMPLE_FROM} WHERE s.id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids),
  ) as Sample[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every sample id matching the filter, in the default order (id ascending) — for "select all in view". */
export function idsInView(db: Db, filter: SampleFilter): number[] {
  const f = filterSql(filter);
  const sql = `SELECT s.id FROM ${fromSql(f.needsClasses, false)} WHERE ${f.where} ORDER BY s.id`;
  return stmt(db, sql).pluck(true).all(...f.params) as number[];
}

export function getSample(db: Db, id: number): Sample {
  const row = stmt(db, `SELECT ${SAMPLE_COLUMNS} FROM ${SAMPLE_FROM} WHERE s.id = ?`).get(id) as Sample | undefined;
  if (!row) throw notFound(`sample ${id}`);
  return row;
}
