/** The dataset's audit log, newest first: every edit with what surfaced it (a finder run, a run's results grid, or a plain edit). */
import { useQuery } from '@tanstack/react-query';
import { parseAuditSource } from '../../../shared/finder-runs';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { Modal } from './modal';

/** "finder:duplicates#12" → "duplicates finder #12"; "run:7" → "found via run 7" (parsed once, in shared/finder-runs). */
export function sourceLabel(source: string | null): string {
  if (!source) return 'edit';
  const parsed = parseAuditSource(source);
  if (parsed?.kind === 'finder') return `${parsed.finder} finder #${parsed.runId}`;
  if (parsed?.kind === 'run') return `found via run ${parsed.runId}`;
  return source;
}

export function HistoryDialog({ datasetId, onClose }: { datasetId: number; onClose: () => void }) {
  const { api } = useStudio();
  const changes = useQuery({ queryKey: queryKeys.history(datasetId), queryFn: () => api.history.list({ datasetId, limit: 200 }) });
  return (
    <Modal title="History" testId="history-dialog" onClose={onClose} wide>
      {changes.data && changes.data.length === 0 ? <p className="muted">No edits yet.</p> : null}
      <table className="history-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Change</th>
            <th>Source</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {(changes.data ?? []).map((c) => (
            <tr key={c.id} data-testid="history-row" data-source={c.source ?? ''} className={c.state !== 'applied' ? 'muted' : ''}>
              <td>{new Date(c.at).toLocaleString()}</td>
              <td>{c.summary}</td>
              <td>
                <span className={`source-tag${c.source ? ' from-finder' : ''}`}>{sourceLabel(c.source)}</span>
              </td>
              <td>{c.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
