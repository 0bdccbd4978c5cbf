/** System and user prompt textareas, the live user-prompt preview with {{labels}} expanded, and the history picker. */
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT, renderPrompt } from '../../../shared/prompt-template';
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import { PromptHistory } from './prompt-history';

interface PromptEditorProps {
  systemPrompt: string;
  userPrompt: string;
  labels: string[];
  history: PromptHistoryEntry[];
  onChange: (prompts: { systemPrompt: string; userPrompt: string }) => void;
}

export function PromptEditor({ systemPrompt, userPrompt, labels, history, onChange }: PromptEditorProps) {
  const isDefault = systemPrompt === DEFAULT_SYSTEM_PROMPT && userPrompt === DEFAULT_USER_PROMPT;
  const hasPlaceholder = /\{\{\s*labels\s*\}\}/.test(userPrompt);
  return (
    <div className="prompt-editor">
      <div className="prompt-fields">
        <label>
          System prompt
          <textarea rows={2} data-testid="eval-system-prompt" value={systemPrompt} onChange={(e) => onChange({ systemPrompt: e.target.value, userPrompt })} />
        </label>
        <label>
          User prompt
          <textarea rows={6} data-testid="eval-user-prompt" value={userPrompt} onChange={(e) => onChange({ systemPrompt, userPrompt: e.target.value })} />
          <span className="hint">
            <code>{'{{labels}}'}</code> becomes the class list, one “- label” per line.
            {!hasPlaceholder ? <strong className="warn"> This prompt never lists the labels.</strong> : null}
          </span>
        </label>
        <div className="prompt-preview-head">
          <span>Preview (what the model reads)</span>
          <button
            type="button"
            className="link small"
            disabled={isDefault}
            data-testid="eval-prompt-reset"
            onClick={() => onChange({ systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT })}
          >
            Reset to default
          </button>
        </div>
        <pre className="prompt-preview" data-testid="eval-prompt-preview">
          {renderPrompt(userPrompt, labels)}
        </pre>
      </div>
      <PromptHistory entries={history} onLoad={(e) => onChange({ systemPrompt: e.systemPrompt, userPrompt: e.userPrompt })} />
    </div>
  );
}
