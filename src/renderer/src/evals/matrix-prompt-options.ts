/** The prompts a matrix can pick from: the studio default, then the dataset's prompt history (each with a short unique name). */
import type { BatchPromptInput } from '../../../shared/eval-matrix';
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../shared/prompt-template';

export interface MatrixPromptOption {
  /** Stable within the list: "default" or the history entry's texts. */
  key: string;
  prompt: BatchPromptInput;
  /** Best accuracy any run with this prompt reached on the dataset (null: none finished). */
  bestAccuracy: number | null;
  runs: number;
}

const snippet = (text: string, max = 36): string => {
  const flat = text.replace(/\{\{labels\}\}/g, '…').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function matrixPromptOptions(history: readonly PromptHistoryEntry[]): MatrixPromptOption[] {
  const options: MatrixPromptOption[] = [
    {
      key: 'default',
      prompt: { kind: 'inline', name: 'default', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT },
      bestAccuracy: null,
      runs: 0,
    },
  ];
  history.forEach((entry) => {
    const isDefault = entry.systemPrompt === DEFAULT_SYSTEM_PROMPT && entry.userPrompt === DEFAULT_USER_PROMPT;
    if (isDefault) {
      options[0] = { ...options[0], bestAccuracy: entry.bestAccuracy, runs: entry.runs };
      return;
    }
    options.push({
      key: JSON.stringify([entry.systemPrompt, entry.userPrompt]),
      prompt: { kind: 'inline', name: `p${options.length}: ${snippet(entry.userPrompt)}`, systemPrompt: entry.systemPrompt, userPrompt: entry.userPrompt },
      bestAccuracy: entry.bestAccuracy,
      runs: entry.runs,
    });
  });
  return options;
}
