/** Compare two versions: added / removed / relabeled / resplit counts with the rows behind each. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DatasetVersion, VersionDiff, VersionDiffRow } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { Modal } from './modal';

type Bucket = 'added' | 'removed' | 'relabeled' | 'resplit';
const BUCKETS: Bucket[] = ['added', 'removed', 'relabeled', 'resplit'];
const MAX_ROWS = 500;

export function DiffDialog({ versions, onClose }: { versions: DatasetVersion[]; onClose: () => void }) {
  const { api } = useStudio();
  const [fromId, setFromId] = useState(versions[versions.length - 2]?.id ?? versions[0]?.id);
  const [toId, setToId] = useState(versions[versions.length - 1]?.id);
  const [bucket, setBucket] = useState<Bucket>('relabeled');
  // Compare asks for the picked pair; a result shows only while the pickers still name that pair (versions never change).
  const [asked, setAsked] = useState<{ fromId: number; toId: number } | null>(null);
  const query = useQuery({
    queryKey: queryKeys.versionDiff(asked?.fromId ?? 0, asked?.toId ?? 0),
    queryFn: () => api.versions.diff({ fromId: asked!.fromId, toId: asked!.toId }),
    enabled: asked !== null,
    meta: { errorContext: 'Comparing versions' },
  });
  const busy = query.isFetching;
  const diff: VersionDiff | null = asked && asked.fromId === fromId && asked.toId === toId ? (query.data ?? null) : null;
  const compare = () => {
    if (fromId !== undefined && toId !== undefined) setAsked({ fromId, toId });
  };

  const rows: VersionDiffRow[] = diff ? diff[bucket] : [];
  return (
    <Modal title="Compare versions" testId="diff-dialog" onClose={onClose} wide footer={<button type="button" onClick={onClose}>Close</button>}>
      <div className="form inline-form">
        <VersionSelect label="From" value={fromId} versions={versions} onChange={setFromId} testId="diff-from" />
        <VersionSelect label="To" value={toId} versions={versions} onChange={setToId} testId="diff-to" />
        <button type="button" className="primary" disabled={busy || fromId === toId} onClick={compare} data-testid="diff-compare">
          {busy ? 'Comparing…' : 'Compare'}
        </button>
      </div>
      {diff ? (
        <>
          <div className="segmented diff-tabs" role="tablist">
            {BUCKETS.map((b) => (
              <button key={b} type="button" role="tab" className={bucket === b ? 'on' : ''} onClick={() => setBucket(b)} data-testid={`diff-${b}`}>
                {b} <span className="count-pill">{diff[b].length}</span>
              </button>
            ))}
          </div>
          {rows.length === 0 ? (
            <p className="muted">
              No {bucket} samples between {diff.from.name} and {diff.to.name}.
            </p>
          ) : (
            <div className="scroll-table">
              <table className="plain-table">
                <thead>
                  <tr>
                    <th>Sample</th>
                    <th>Path</th>
                    <th>Before</th>
                    <th>After</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, MAX_ROWS).map((r) => (
                    <tr key={r.sampleId}>
                      <td>#{r.sampleId}</td>
                      <td className="mono small">{r.originalPath}</td>
                      <td>{r.before ?? '—'}</td>
                      <td>{r.after ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows.length > MAX_ROWS ? <p className="muted small">Showing the first {MAX_ROWS} of {rows.length}.</p> : null}
            </div>
          )}
        </>
      ) : null}
    </Modal>
  );
}

interface VersionSelectProps {
  label: string;
  value: number | undefined;
  versions: DatasetVersion[];
  onChange: (id: number) => void;
  testId: string;
}

function VersionSelect({ label, value, versions, onChange, testId }: VersionSelectProps) {
  return (
    <label className="inline">
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </select>
    </label>
  );
}
