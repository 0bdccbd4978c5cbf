/** The New eval form's prompt version picker: load a saved version, see whether the text was edited since, save the draft as a version. */
import { useState } from 'react';
import type { PromptVersion } from '../../../shared/prompt-types';
import { useSavePrompt } from './use-prompts';
import { matchesVersion } from './prompt-link';

interface PromptVersionBarProps {
  versions: PromptVersion[];
  linkedId: number | null;
  systemPrompt: string;
  userPrompt: string;
  onPick: (version: PromptVersion) => void;
  /** After a save: the form now points at the new version. */
  onSaved: (version: PromptVersion) => void;
}

export function PromptVersionBar({ versions, linkedId, systemPrompt, userPrompt, onPick, onSaved }: PromptVersionBarProps) {
  const save = useSavePrompt();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const linked = versions.find((v) => v.id === linkedId);
  const edited = linked !== undefined && !matchesVersion(linked, systemPrompt, userPrompt);
  const saved = versions.filter((v) => !v.adHoc);
  const adHoc = versions.filter((v) => v.adHoc);
  const canVersion = linked !== undefined && !linked.adHoc && edited && Object.keys(linked.labelDescriptions).length === 0;
  const nextNumber = linked ? Math.max(...versions.filter((v) => v.promptId === linked.promptId).map((v) => v.number)) + 1 : 1;
  const submit = async (params: { promptId: number } | { name: string }) => {
    try {
      const r = await save({ ...params, systemPrompt, userPrompt });
      setNaming(false);
      setName('');
      onSaved(r.version);
    } catch {
      // reported by useSavePrompt
    }
  };
  return (
    <div className="prompt-version-bar" data-testid="prompt-version-bar">
      <label>
        Prompt version{' '}
        <select
          data-testid="eval-prompt-version"
          value={linked?.id ?? ''}
          onChange={(e) => {
            const v = versions.find((x) => x.id === Number(e.target.value));
            if (v) onPick(v);
          }}
        >
          <option value="" disabled>
            {linked ? '' : 'not saved — pick a version or save this text'}
          </option>
          <optgroup label="Saved prompts">
            {saved.map((v) => (
              <option key={v.id} value={v.id}>
                {v.displayName}
                {v.note ? ` — ${v.note}` : ''}
              </option>
            ))}
          </optgroup>
          {adHoc.length > 0 ? (
            <optgroup label="Unsaved texts used by runs">
              {adHoc.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.displayName}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      {linked && !edited ? <span className="version-badge" data-testid="eval-prompt-version-state">runs as {linked.displayName}</span> : null}
      {edited ? (
        <span className="version-badge edited" data-testid="eval-prompt-version-state">
          edited since {linked?.displayName} (runs as unsaved text)
        </span>
      ) : null}
      {canVersion && linked ? (
        <button type="button" className="small" data-testid="eval-prompt-save-version" onClick={() => void submit({ promptId: linked.promptId })}>
          Save as {linked.promptName} v{nextNumber}
        </button>
      ) : null}
      {(!linked || edited) && !naming ? (
        <button type="button" className="small" data-testid="eval-prompt-save-new" onClick={() => setNaming(true)}>
          Save as new prompt…
        </button>
      ) : null}
      {naming ? (
        <span className="quick-try-controls">
          <input data-testid="eval-prompt-new-name" placeholder="prompt name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="button" className="small primary" disabled={name.trim() === ''} data-testid="eval-prompt-new-save" onClick={() => void submit({ name: name.trim() })}>
            Save v1
          </button>
          <button type="button" className="small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </span>
      ) : null}
    </div>
  );
}
