/** The diff of two prompt versions: system text, user template, and the user prompt as the model reads it for a chosen label list. */
import { diffLines, type DiffLine } from './line-diff';
import { renderPrompt } from './prompt-template';
import type { PromptVersion } from './prompt-types';

export interface PromptVersionDiff {
  system: DiffLine[];
  user: DiffLine[];
  /** Both expanded user prompts ({{label_descriptions}} and {{labels}} filled in) for `labels`. */
  preview: DiffLine[];
  /** True when nothing differs in any part. */
  identical: boolean;
}

type DiffableVersion = Pick<PromptVersion, 'systemPrompt' | 'userPrompt' | 'expandedUserPrompt'>;

/** Diffs version a (old) against version b (new); the preview uses `labels` as a run would. */
export function diffPromptVersions(a: DiffableVersion, b: DiffableVersion, labels: readonly string[]): PromptVersionDiff {
  const system = diffLines(a.systemPrompt, b.systemPrompt);
  const user = diffLines(a.userPrompt, b.userPrompt);
  const preview = diffLines(renderPrompt(a.expandedUserPrompt, labels), renderPrompt(b.expandedUserPrompt, labels));
  const identical = [system, user, preview].every((part) => part.every((l) => l.op === 'same'));
  return { system, user, preview, identical };
}
