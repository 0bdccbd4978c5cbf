/** Import report: counts plus every issue (path, reason, detail) of one import, newest first. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ImportReport } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { formatDate } from '../lib/format';
import { useStudio } from '../state/studio-context';
import { Modal } from './modal';

interface ImportReportDialogProps {
  datasetId: number;
  reportId: number | null;
  onClose: () => void;
}

export function ImportReportDialog({ datasetId, reportId, onClose }: ImportReportDialogProps) {
  const { api } = useStudio();
  const [chosen, setChosen] = useState<number | null>(reportId);
  const query = useQuery({
    queryKey: queryKeys.importReports(datasetId),
    queryFn: async () => [...(await api.datasets.importReports({ datasetId }))].sort((a, b) => b.id - a.id),
    meta: { errorContext: 'Loading import reports' },
  });
  const reports: ImportReport[] | null = query.data ?? null;

  const report = reports?.find((r) => r.id === chosen) ?? reports?.[0];
  return (
    <Modal title="Import report" testId="import-report" onClose={onClose} wide footer={<button type="button" onClick={onClose}>Close</button>}>
      {reports === null ? <p className="muted">Loading…</p> : null}
      {reports?.length === 0 ? <p className="muted">This dataset has no import reports.</p> : null}
      {reports && reports.length > 1 ? (
        <select value={report?.id} onChange={(e) => setChosen(Number(e.target.value))} aria-label="Report">
          {reports.map((r) => (
            <option key={r.id} value={r.id}>
              {formatDate(r.createdAt)} — {r.source}
            </option>
          ))}
        </select>
      ) : null}
      {report ? (
        <>
          <p className="report-source">
            <code>{report.source}</code> ({report.format}) · {formatDate(report.createdAt)}
            {report.cancelled ? <strong className="warn"> · cancelled before the end</strong> : null}
          </p>
          <div className="stat-row" data-testid="import-report-counts">
            <Stat label="Scanned" value={report.scanned} />
            <Stat label="Imported" value={report.imported} />
            <Stat label="Already present" value={report.alreadyPresent} />
            <Stat label="Issues" value={report.issues.length} warn={report.issues.length > 0} />
            <Stat label="Classes" value={report.classes.length} />
          </div>
          <p className="muted small">Classes: {report.classes.join(', ') || '—'}</p>
          {report.skippedSideFiles.length > 0 ? (
            <p className="muted small" data-testid="import-skipped-side-files">
              Skipped side files: {report.skippedSideFiles.map((p) => p.split(/[\\/]/).pop()).join(', ')}
            </p>
          ) : null}
          {report.issues.length === 0 ? (
            <p className="ok">No issues — every file was imported.</p>
          ) : (
            <div className="scroll-table">
              <table className="plain-table" data-testid="import-issues">
                <thead>
                  <tr>
                    <th>Path</th>
                    <th>Reason</th>
                    <th>Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {report.issues.map((issue, i) => (
                    <tr key={i} data-testid="import-issue">
                      <td className="mono small">{issue.path}</td>
                      <td>
                        <span className="reason-tag">{issue.reason}</span>
                      </td>
                      <td className="small">{issue.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </Modal>
  );
}

function Stat({ label, value, warn }: { label: string; value: number; warn?: boolean }) {
  return (
    <div className={`stat${warn ? ' warn' : ''}`}>
      <div className="stat-value">{value.toLocaleString()}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
