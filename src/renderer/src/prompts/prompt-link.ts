/** Which prompt version the New eval form's text runs as, and what the create request sends for it (no React: unit-tested). */
import type { PromptVersion } from '../../../shared/prompt-types';

interface PromptDraft {
  promptVersionId: number | null;
  systemPrompt: string;
  userPrompt: string;
}

/** True when the form's text is exactly what the version gives a run. */
export function matchesVersion(v: PromptVersion | undefined, systemPrompt: string, userPrompt: string): boolean {
  return v !== undefined && v.systemPrompt === systemPrompt && v.expandedUserPrompt === userPrompt;
}

/** The version the text runs as: the linked one while unedited, else any version with exactly this text (saved first), else the link (shown as edited). */
export function effectiveVersionId(c: PromptDraft, versions: readonly PromptVersion[]): number | null {
  const linked = versions.find((v) => v.id === c.promptVersionId);
  if (linked && matchesVersion(linked, c.systemPrompt, c.userPrompt)) return linked.id;
  return versions.find((v) => matchesVersion(v, c.systemPrompt, c.userPrompt))?.id ?? c.promptVersionId;
}

/** The version id when the text is exactly a version's, else the raw text (main links it to a found or new "unsaved" version). */
export function promptRequest(c: PromptDraft, versions: readonly PromptVersion[]): { promptVersionId: number } | { systemPrompt: string; userPrompt: string } {
  const v = versions.find((x) => x.id === effectiveVersionId(c, versions));
  return v && matchesVersion(v, c.systemPrompt, c.userPrompt) ? { promptVersionId: v.id } : { systemPrompt: c.systemPrompt, userPrompt: c.userPrompt };
}
