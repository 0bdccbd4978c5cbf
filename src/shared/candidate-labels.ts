/** Candidate label lists (open label sets): parsing a pasted list or a candidates file, and merging it with the snapshot's classes. */
import { labelProblem } from './label-rule';

/**
 * One label per line; a leading "- " or "* " bullet is dropped (so a prompt's label list pastes as is), blank lines and
 * "#" comment lines are skipped, labels are trimmed. Order is kept; duplicates are kept for the caller to refuse.
 */
export function parseCandidateList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^[-*]\s+/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The first unusable label of a list as "label: why", or null when every label is fine. */
export function candidateListProblem(labels: readonly string[]): string | null {
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem) return `"${label}": ${problem}`;
  }
  return null;
}

/**
 * The run's candidate order from the snapshot's classes (always offered) and extra candidates: the extras' order is
 * kept (a pasted list of 49 makers stays alphabetical even where it names the classes), classes it does not name
 * come first, and repeats are dropped.
 */
export function mergeCandidates(classes: readonly string[], extras: readonly string[]): string[] {
  const out = classes.filter((c) => !extras.includes(c));
  for (const e of extras) if (!out.includes(e)) out.push(e);
  return out;
}
