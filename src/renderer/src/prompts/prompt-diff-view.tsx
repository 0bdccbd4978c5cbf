/** Diff of two prompt versions: system text, user template, and the prompt as the model reads it for an editable label list. */
import { useMemo, useState } from 'react';
import { diffPromptVersions } from '../../../shared/prompt-diff';
import type { PromptVersion } from '../../../shared/prompt-types';
import { DiffLinesView } from './diff-lines-view';

interface PromptDiffViewProps {
  a: PromptVersion;
  b: PromptVersion;
  /** The preview's default labels (the dataset's classes). */
  labels: string[];
  onClose: () => void;
}

export function PromptDiffView({ a, b, labels, onClose }: PromptDiffViewProps) {
  const [labelText, setLabelText] = useState(labels.join(', '));
  const previewLabels = useMemo(() => labelText.split(',').map((l) => l.trim()).filter((l) => l !== ''), [labelText]);
  const diff = useMemo(() => diffPromptVersions(a, b, previewLabels), [a, b, previewLabels]);
  return (
    <div className="panel-card prompt-diff" data-testid="prompt-diff">
      <header className="prompt-diff-head">
        <h3>
          <span className="diff-name removed" data-testid="prompt-diff-a">{a.displayName}</span> → <span className="diff-name added" data-testid="prompt-diff-b">{b.displayName}</span>
        </h3>
        {diff.identical ? <span className="muted small" data-testid="prompt-diff-identical">The two versions read the same.</span> : null}
        <span className="spacer" />
        <button type="button" className="small" data-testid="prompt-diff-close" onClick={onClose}>
          Close diff
        </button>
      </header>
      <div className="prompt-diff-grid">
        <DiffLinesView title="System prompt" lines={diff.system} testId="prompt-diff-system" />
        <DiffLinesView title="User template" lines={diff.user} testId="prompt-diff-user" />
      </div>
      <label className="diff-labels">
        Labels for the preview
        <input data-testid="prompt-diff-labels" value={labelText} onChange={(e) => setLabelText(e.target.value)} placeholder="cat, dog" />
      </label>
      <DiffLinesView title={`What the model reads (${previewLabels.length} labels)`} lines={diff.preview} testId="prompt-diff-preview" />
    </div>
  );
}
