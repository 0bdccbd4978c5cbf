/** Earlier prompts used on this dataset (runs, last used, best accuracy); clicking one loads it into the editor. */
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import { formatDate, plural } from '../lib/format';
import { pct } from './eval-format';

interface PromptHistoryProps {
  entries: PromptHistoryEntry[];
  onLoad: (entry: PromptHistoryEntry) => void;
}

export function PromptHistory({ entries, onLoad }: PromptHistoryProps) {
  return (
    <div className="prompt-history" data-testid="prompt-history">
      <h3>Prompt history</h3>
      {entries.length === 0 ? <p className="muted small">Prompts used by runs on this dataset appear here, with their best accuracy.</p> : null}
      <ul>
        {entries.map((e) => (
          <li key={`${e.systemPrompt}\u0000${e.userPrompt}`}>
            <button type="button" className="prompt-entry" data-testid="prompt-history-entry" title="Load this prompt" onClick={() => onLoad(e)}>
              <span className="prompt-entry-text">{e.userPrompt.replace(/\s+/g, ' ')}</span>
              <span className="prompt-entry-meta">
                {plural(e.runs, 'run')} · last {formatDate(e.lastUsed)} · best <strong>{pct(e.bestAccuracy)}</strong>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
