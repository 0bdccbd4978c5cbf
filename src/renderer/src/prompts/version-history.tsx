/** A prompt's versions, newest first: number, note, runs, age; tick two to diff them, or start the next version from one. */
import type { PromptVersion } from '../../../shared/prompt-types';
import { formatDate, plural } from '../lib/format';

interface VersionHistoryProps {
  versions: PromptVersion[];
  picked: number[];
  onTogglePick: (versionId: number) => void;
  onDiff: () => void;
  onEditFrom: (version: PromptVersion) => void;
  /** Ad-hoc versions cannot be edited into a next version (they belong to no named prompt). */
  readOnly: boolean;
}

export function VersionHistory({ versions, picked, onTogglePick, onDiff, onEditFrom, readOnly }: VersionHistoryProps) {
  return (
    <section className="panel-card version-history" data-testid="prompt-versions">
      <header className="version-history-head">
        <h3>History</h3>
        <span className="muted small">{picked.length === 2 ? 'Two versions picked' : 'Tick two versions to diff them'}</span>
        <span className="spacer" />
        <button type="button" className="small" disabled={picked.length !== 2} data-testid="prompt-diff-open" onClick={onDiff}>
          Diff
        </button>
      </header>
      <table className="plain-table">
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-testid="prompt-version-row" data-version={v.number} className={picked.includes(v.id) ? 'picked' : ''}>
              <td className="pick-cell">
                <input type="checkbox" aria-label={`Pick ${v.displayName}`} data-testid="prompt-version-pick" checked={picked.includes(v.id)} onChange={() => onTogglePick(v.id)} />
              </td>
              <td className="version-no">v{v.number}</td>
              <td className="version-text">
                <div className="version-user" title={v.userPrompt}>
                  {v.userPrompt.replace(/\s+/g, ' ')}
                </div>
                <div className="muted small">
                  {v.note ? `${v.note} · ` : ''}
                  {formatDate(v.createdAt)}
                </div>
              </td>
              <td className="num muted small">{plural(v.runCount, 'run')}</td>
              <td>
                {readOnly ? null : (
                  <button type="button" className="small" data-testid="prompt-version-edit" onClick={() => onEditFrom(v)}>
                    Edit from here
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
