/** Guards the audit source a renderer attaches to a sample edit: "run:N" must name an eval run of the edited dataset. */
import type { Db } from '../db/open-database';
import { StudioError } from '../errors';
import { parseAuditSource } from '../../shared/finder-runs';
import { getEvalRun } from './eval-store';

/** Throws (writing nothing) when the source is malformed or names a run of another dataset. */
export function checkEditSource(db: Db, datasetId: number, source: string): void {
  const parsed = parseAuditSource(source);
  if (parsed?.kind !== 'run') throw new StudioError('invalid-args', `unknown edit source "${source}" (expected run:<eval run id>)`);
  const run = getEvalRun(db, parsed.runId);
  if (run.datasetId !== datasetId) throw new StudioError('invalid-args', `eval run ${run.id} belongs to another dataset than the edited samples`);
}
