/** Reads saved import reports (with their issues) back for the UI. */
import type { ImportIssue, ImportIssueReason, ImportReport } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';
import type { ConcreteImportFormat } from './import-candidate';

interface ReportRow {
  id: number;
  dataset_id: number;
  source: string;
  format: string;
  created_at: string;
  scanned: number;
  imported: number;
  already_present: number;
  classes_json: string;
  skipped_json: string;
  cancelled: number;
}

function toReport(db: Db, r: ReportRow): ImportReport {
  const issues = db
    .prepare('SELECT path, reason, detail FROM import_issues WHERE report_id = ? ORDER BY rowid')
    .all(r.id) as { path: string; reason: ImportIssueReason; detail: string }[];
  return {
    id: r.id,
    datasetId: r.dataset_id,
    source: r.source,
    format: r.format as ConcreteImportFormat,
    createdAt: r.created_at,
    scanned: r.scanned,
    imported: r.imported,
    alreadyPresent: r.already_present,
    classes: JSON.parse(r.classes_json) as string[],
    issues: issues as ImportIssue[],
    skippedSideFiles: JSON.parse(r.skipped_json) as string[],
    cancelled: r.cancelled === 1,
  };
}

/** Reports of one dataset, newest first. */
export function listImportReports(db: Db, datasetId: number): ImportReport[] {
  const rows = db.prepare('SELECT * FROM import_reports WHERE dataset_id = ? ORDER BY id DESC').all(datasetId) as ReportRow[];
  return rows.map((r) => toReport(db, r));
}

export function getImportReport(db: Db, reportId: number): ImportReport {
  const row = db.prepare('SELECT * FROM import_reports WHERE id = ?').get(reportId) as ReportRow | undefined;
  if (!row) throw notFound(`Import report ${reportId}`);
  return toReport(db, row);
}
