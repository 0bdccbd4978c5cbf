/** Classification prompt templates shared by the fine-tune export and the inference engine: {{labels}} expands to "- a\n- b". */

export const DEFAULT_SYSTEM_PROMPT = 'You are an expert at classifying images.';

export const DEFAULT_USER_PROMPT =
  'Which of the following labels best describes the image?\n\n{{labels}}\n\nAnswer with a single label from the list and nothing else.';

/** The label list as the prompt shows it: one per line, each prefixed with "- ". */
export function expandLabels(labels: readonly string[]): string {
  return labels.map((l) => `- ${l}`).join('\n');
}

/** Replaces every {{labels}} placeholder (spaces inside the braces allowed) with the expanded label list. */
export function renderPrompt(template: string, labels: readonly string[]): string {
  const list = expandLabels(labels);
  return template.replace(/\{\{\s*labels\s*\}\}/g, () => list);
}
