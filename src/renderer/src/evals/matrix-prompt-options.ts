/** The prompts a matrix can pick from: saved prompt versions first, then the studio default and the dataset's prompt history. */
import type { BatchPromptInput } from '../../../shared/eval-matrix';
import type { PromptHistoryEntry } from '../../../shared/eval-views';
import type { PromptVersion } from '../../../shared/prompt-types';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../shared/prompt-template';

export interface MatrixPromptOption {
  /** Stable within the list: "version:<id>", "default" or the history entry's texts. */
  key: string;
  /** The row's name in the matrix ("cats-dogs v2", "default", "p1: Cat or dog? …"). */
  name: string;
  /** The texts the cells run with (a version's user prompt with its label descriptions expanded). */
  systemPrompt: string;
  userPrompt: string;
  prompt: BatchPromptInput;
  /** Best accuracy any run with this prompt reached on the dataset (null: none finished). */
  bestAccuracy: number | null;
  runs: number;
  /** True for a saved prompt version. */
  saved: boolean;
}

const snippet = (text: string, max = 36): string => {
  const flat = text.replace(/\{\{labels\}\}/g, '…').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const textKey = (systemPrompt: string, userPrompt: string): string => JSON.stringify([systemPrompt, userPrompt]);

/**
 * Saved versions (the ad-hoc "unsaved" ones are history already) come first, with the dataset's stats of their exact text;
 * a history prompt a saved version holds is listed once, as that version. History prompts are numbered p1, p2, … in order.
 */
export function matrixPromptOptions(history: readonly PromptHistoryEntry[], versions: readonly PromptVersion[] = []): MatrixPromptOption[] {
  const stats = new Map(history.map((h) => [textKey(h.systemPrompt, h.userPrompt), h]));
  const saved = versions.filter((v) => !v.adHoc);
  const savedTexts = new Set(saved.map((v) => textKey(v.systemPrompt, v.expandedUserPrompt)));
  const options: MatrixPromptOption[] = saved.map((v) => {
    const h = stats.get(textKey(v.systemPrompt, v.expandedUserPrompt));
    return {
      key: `version:${v.id}`,
      name: v.displayName,
      systemPrompt: v.systemPrompt,
      userPrompt: v.expandedUserPrompt,
      prompt: { kind: 'version', promptVersionId: v.id },
      bestAccuracy: h?.bestAccuracy ?? null,
      runs: h?.runs ?? 0,
      saved: true,
    };
  });
  const defaultHistory = stats.get(textKey(DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT));
  options.push({
    key: 'default',
    name: 'default',
    systemPrompt: DEFAULT_SYSTEM_PROMPT,
    userPrompt: DEFAULT_USER_PROMPT,
    prompt: { kind: 'inline', name: 'default', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT },
    bestAccuracy: defaultHistory?.bestAccuracy ?? null,
    runs: defaultHistory?.runs ?? 0,
    saved: false,
  });
  let n = 0;
  for (const entry of history) {
    const key = textKey(entry.systemPrompt, entry.userPrompt);
    const isDefault = entry.systemPrompt === DEFAULT_SYSTEM_PROMPT && entry.userPrompt === DEFAULT_USER_PROMPT;
    if (isDefault || savedTexts.has(key)) continue;
    n += 1;
    const name = `p${n}: ${snippet(entry.userPrompt)}`;
    options.push({
      key,
      name,
      systemPrompt: entry.systemPrompt,
      userPrompt: entry.userPrompt,
      prompt: { kind: 'inline', name, systemPrompt: entry.systemPrompt, userPrompt: entry.userPrompt },
      bestAccuracy: entry.bestAccuracy,
      runs: entry.runs,
      saved: false,
    });
  }
  return options;
}
