/** Turns a SampleFilter / SortKey into SQL fragments and parameters shared by paging, counting and id listing. */
import type { SampleFilter, SortKey } from '../../shared/domain';
import { SPLITS } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import { StudioError } from '../errors';

export interface FilterSql {
  /** Conditions joined with AND; references `s` (samples) and, when needsClasses, `c` (classes). */
  where: string;
  params: unknown[];
  needsClasses: boolean;
}

/** Escapes LIKE wildcards so the text filter is a plain substring match (ESCAPE '\'). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function statusCondition(status: SampleFilter['status']): string | null {
  const s = status ?? 'active';
  switch (s) {
    case 'active':
      return "s.status = 'active'";
    case 'dropped':
      return "s.status = 'dropped'";
    case 'all':
      return null;
    default:
      return assertNever(s, 'status filter');
  }
}

export function filterSql(filter: SampleFilter): FilterSql {
  const parts = ['s.dataset_id = ?'];
  const params: unknown[] = [filter.datasetId];
  const status = statusCondition(filter.status);
  if (status) parts.push(status);

  if (filter.classIds && filter.classIds.length > 0) {
    const ids = [...new Set(filter.classIds)];
    const named = ids.filter((id) => id !== -1);
    if (named.some((id) => !Number.isInteger(id) || id < 1)) {
      throw new StudioError('invalid-args', 'class filter holds an invalid class id (use -1 for unlabelled)');
    }
    const alts: string[] = [];
    if (named.length === 1) {
      alts.push('s.class_id = ?');
      params.push(named[0]);
    } else if (named.length > 1) {
      alts.push('s.class_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(named));
    }
    if (ids.includes(-1)) alts.push('s.class_id IS NULL');
    parts.push(alts.length === 1 ? alts[0] : `(${alts.join(' OR ')})`);
  }

  if (filter.splits && filter.splits.length > 0) {
    const wanted = [...new Set(filter.splits)];
    const named = SPLITS.filter((sp) => wanted.includes(sp));
    if (wanted.some((sp) => sp !== 'none' && !SPLITS.includes(sp))) {
      throw new StudioError('invalid-args', 'split filter holds an unknown split');
    }
    const alts: string[] = [];
    if (named.length > 0) {
      alts.push(`s.split IN (${named.map(() => '?').join(', ')})`);
      params.push(...named);
    }
    if (wanted.includes('none')) alts.push('s.split IS NULL');
    parts.push(alts.length === 1 ? alts[0] : `(${alts.join(' OR ')})`);
  }

  if (filter.finderRunId !== undefined) {
    parts.push('s.id IN (SELECT fs.sample_id FROM finder_suspects fs WHERE fs.run_id = ?)');
    params.push(filter.finderRunId);
  }

  const text = filter.text?.trim();
  let needsClasses = false;
  if (text) {
    needsClasses = true;
    const pattern = likePattern(text);
    parts.push(
      "(s.original_path LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR s.notes LIKE ? ESCAPE '\\' OR s.drop_reason LIKE ? ESCAPE '\\')",
    );
    params.push(pattern, pattern, pattern, pattern);
  }
  return { where: parts.join(' AND '), params, needsClasses };
}

export interface SortSql {
  orderBy: string;
  needsClasses: boolean;
  needsImages: boolean;
}

function sortColumn(key: SortKey): { expr: string; needsClasses: boolean; needsImages: boolean } {
  switch (key) {
    case 'id':
      return { expr: 's.id', needsClasses: false, needsImages: false };
    case 'label':
      return { expr: 'c.name', needsClasses: true, needsImages: false };
    case 'split':
      return { expr: 's.split', needsClasses: false, needsImages: false };
    case 'status':
      return { expr: 's.status', needsClasses: false, needsImages: false };
    case 'path':
      return { expr: 's.original_path', needsClasses: false, needsImages: false };
    case 'width':
      return { expr: 'i.width', needsClasses: false, needsImages: true };
    case 'height':
      return { expr: 'i.height', needsClasses: false, needsImages: true };
    case 'bytes':
      return { expr: 'i.bytes', needsClasses: false, needsImages: true };
    case 'updated':
      return { expr: 's.updated_at', needsClasses: false, needsImages: false };
    default:
      return assertNever(key, 'sort key');
  }
}

/**
 * ORDER BY clause: the key, then id in the same direction as the tie-breaker (desc fully reverses asc). With a finder
 * run filter, the default order (id ascending) is the run's rank order instead, so its suspects read most suspect first.
 */
export function sortSql(sort: { key: SortKey; desc: boolean } | undefined, finderRunId?: number): SortSql {
  const key = sort?.key ?? 'id';
  const dir = sort?.desc ? 'DESC' : 'ASC';
  if (finderRunId !== undefined && key === 'id' && !sort?.desc) {
    if (!Number.isInteger(finderRunId) || finderRunId < 1) throw new StudioError('invalid-args', 'finder run filter holds an invalid run id');
    const rank = `(SELECT fs.rank FROM finder_suspects fs WHERE fs.run_id = ${finderRunId} AND fs.sample_id = s.id)`;
    return { orderBy: `${rank} ASC, s.id ASC`, needsClasses: false, needsImages: false };
  }
  const col = sortColumn(key);
  const orderBy = key === 'id' ? `s.id ${dir}` : `${col.expr} ${dir}, s.id ${dir}`;
  return { orderBy, needsClasses: col.needsClasses, needsImages: col.needsImages };
}

/** FROM clause with only the joins the query needs. */
export function fromSql(needsClasses: boolean, needsImages: boolean): string {
  let from = 'samples s';
  if (needsImages) from += ' JOIN images i ON i.hash = s.image_hash';
  if (needsClasses) from += ' LEFT JOIN classes c ON c.id = s.class_id';
  return from;
}
