/** Reads derived (robustness) versions of a snapshot and the accuracy table of the runs made on them. */
import type { EvalRun } from '../../shared/eval-types';
import { CORRUPTIONS, type DerivedVersion, type RobustnessCell, type RobustnessReport, type RobustnessRow } from '../../shared/robustness-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { getEvalRun } from '../evals/eval-store';
import { getVersion } from '../versions/snapshot';

/** True when the version was derived from another (a robustness split), not frozen from the dataset. */
export function isDerivedVersion(db: Db, versionId: number): boolean {
  return stmt(db, 'SELECT 1 FROM derived_versions WHERE version_id = ?').get(versionId) !== undefined;
}

/** The source's derived versions, in corruption-list order then severity. */
export function listDerivedVersions(db: Db, sourceVersionId: number): DerivedVersion[] {
  getVersion(db, sourceVersionId);
  const rows = stmt(
    db,
    `SELECT d.version_id AS versionId, d.source_version_id AS sourceVersionId, v.name, d.corruption, d.severity, d.param, d.seed,
       v.sample_count AS sampleCount
     FROM derived_versions d JOIN dataset_versions v ON v.id = d.version_id WHERE d.source_version_id = ?`,
  ).all(sourceVersionId) as DerivedVersion[];
  return rows.sort((a, b) => CORRUPTIONS.indexOf(a.corruption) - CORRUPTIONS.indexOf(b.corruption) || a.severity - b.severity);
}

function cell(run: EvalRun): RobustnessCell {
  return {
    runId: run.id,
    status: run.status,
    doneCount: run.doneCount,
    plannedCount: run.plannedCount,
    accuracy: run.status === 'done' && run.metrics !== null ? run.metrics.accuracy : null,
  };
}

/** One row per template run (oldest first): its clean accuracy beside the accuracy on each derived version. */
export function robustnessReport(db: Db, sourceVersionId: number): RobustnessReport {
  const derived = listDerivedVersions(db, sourceVersionId);
  const links = stmt(
    db,
    `SELECT r.template_run_id AS templateRunId, r.run_id AS runId, r.version_id AS versionId
     FROM robustness_runs r JOIN derived_versions d ON d.version_id = r.version_id
     WHERE d.source_version_id = ? ORDER BY r.template_run_id, r.run_id`,
  ).all(sourceVersionId) as { templateRunId: number; runId: number; versionId: number }[];
  const rows = new Map<number, RobustnessRow>();
  for (const link of links) {
    let row = rows.get(link.templateRunId);
    if (row === undefined) {
      const template = getEvalRun(db, link.templateRunId);
      const mapping = template.classMapping === null ? '' : ` (${template.classMapping})`;
      row = { templateRunId: template.id, title: `${template.config.modelName} · ${template.mode}${mapping}`, clean: cell(template), cells: {} };
      rows.set(link.templateRunId, row);
    }
    row.cells[link.versionId] = cell(getEvalRun(db, link.runId));
  }
  return { sourceVersionId, derived, rows: [...rows.values()] };
}
