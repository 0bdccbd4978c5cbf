/** Edits a draft of a prompt (new prompt, or the next version of one): system, user template, label descriptions, note; Save. */
import { useState } from 'react';
import { renderPrompt } from '../../../shared/prompt-template';
import { expandDescriptionsInTemplate, usesLabelDescriptions } from '../../../shared/prompt-descriptions';
import type { PromptVersion, SavePromptVersionResult } from '../../../shared/prompt-types';
import { useSavePrompt } from './use-prompts';
import { EditorQuickTry } from './editor-quick-try';

interface VersionEditorProps {
  /** The prompt a new version is saved under; null = a new prompt (asks for its name). */
  promptId: number | null;
  /** Draft starts from this version's texts (null: the given defaults). */
  base: Pick<PromptVersion, 'systemPrompt' | 'userPrompt' | 'labelDescriptions'> & { displayName?: string; number?: number };
  nextNumber: number;
  labels: string[];
  /** The dataset whose newest snapshot quick tries draw from. */
  datasetId: number;
  onSaved: (result: SavePromptVersionResult) => void;
  onCancel?: () => void;
}

export function VersionEditor({ promptId, base, nextNumber, labels, datasetId, onSaved, onCancel }: VersionEditorProps) {
  const save = useSavePrompt();
  const [name, setName] = useState('');
  const [systemPrompt, setSystem] = useState(base.systemPrompt);
  const [userPrompt, setUser] = useState(base.userPrompt);
  const [descriptions, setDescriptions] = useState<Record<string, string>>(base.labelDescriptions);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const describedLabels = [...new Set([...labels, ...Object.keys(descriptions)])];
  const described = Object.values(descriptions).filter((d) => d.trim() !== '').length;
  const needsName = promptId === null && name.trim() === '';
  const submit = async () => {
    setBusy(true);
    try {
      const result = await save({ ...(promptId === null ? { name: name.trim() } : { promptId }), systemPrompt, userPrompt, labelDescriptions: descriptions, note });
      onSaved(result);
    } catch {
      // reported by useSavePrompt; the draft stays
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="panel-card version-editor"
      data-testid="prompt-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <header className="version-editor-head">
        <h3>{promptId === null ? 'New prompt' : `Draft of v${nextNumber}`}</h3>
        {base.displayName ? <span className="muted small">starting from {base.displayName}</span> : null}
      </header>
      {promptId === null ? (
        <label>
          Name
          <input data-testid="prompt-name" placeholder="e.g. cats-dogs" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      ) : null}
      <div className="version-editor-grid">
        <div className="prompt-fields">
          <label>
            System prompt
            <textarea rows={2} data-testid="prompt-system" value={systemPrompt} onChange={(e) => setSystem(e.target.value)} />
          </label>
          <label>
            User template
            <textarea rows={5} data-testid="prompt-user" value={userPrompt} onChange={(e) => setUser(e.target.value)} />
            <span className="hint">
              <code>{'{{labels}}'}</code> becomes the run's label list; <code>{'{{label_descriptions}}'}</code> the descriptions below.
            </span>
          </label>
          <details className="label-descriptions" open={described > 0 || usesLabelDescriptions(userPrompt)}>
            <summary>Label descriptions ({described})</summary>
            {describedLabels.map((label) => (
              <label key={label} className="description-row">
                <span>{label}</span>
                <input data-testid={`prompt-description-${label}`} value={descriptions[label] ?? ''} onChange={(e) => setDescriptions({ ...descriptions, [label]: e.target.value })} />
              </label>
            ))}
          </details>
          <label>
            Note <span className="muted small">(what changed and why)</span>
            <input data-testid="prompt-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        </div>
        <div className="prompt-fields">
          <span className="muted small">What the model reads ({labels.length} labels)</span>
          <pre className="prompt-preview" data-testid="prompt-editor-preview">
            {renderPrompt(expandDescriptionsInTemplate(userPrompt, descriptions), labels)}
          </pre>
        </div>
      </div>
      <EditorQuickTry datasetId={datasetId} systemPrompt={systemPrompt} userPrompt={expandDescriptionsInTemplate(userPrompt, descriptions)} />
      <footer className="version-editor-foot">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy || needsName || userPrompt.trim() === ''} data-testid="prompt-save">
          {promptId === null ? 'Save as v1' : `Save as v${nextNumber}`}
        </button>
      </footer>
    </form>
  );
}
