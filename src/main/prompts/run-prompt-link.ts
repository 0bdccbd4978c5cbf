/** Links a new eval run to its prompt version: the saved one it was started with, or the version matching its raw text (found or created). */
import type { CreateEvalParams } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { findOrCreateVersionForText, getPromptVersion } from './prompt-store';

/** The run's prompt texts: the version's when one is named (given texts must match it), else the given texts or the defaults. */
export function runPromptTexts(
  db: Db,
  params: Pick<CreateEvalParams, 'systemPrompt' | 'userPrompt' | 'promptVersionId' | 'mode'>,
  defaults: { system: string; user: string },
): { systemPrompt: string; userPrompt: string } {
  if (params.promptVersionId === undefined || params.promptVersionId === null) {
    return { systemPrompt: params.systemPrompt ?? defaults.system, userPrompt: params.userPrompt ?? defaults.user };
  }
  if (params.mode === 'classifier') throw new StudioError('invalid-args', 'A prompt version applies to vision-language model evals, not classifiers');
  const version = getPromptVersion(db, params.promptVersionId);
  const differs = (given: string | undefined, stored: string) => given !== undefined && given !== stored;
  if (differs(params.systemPrompt, version.systemPrompt) || differs(params.userPrompt, version.expandedUserPrompt)) {
    throw new StudioError('invalid-args', `The prompt text differs from ${version.displayName}; save it as a new version, or start without a version to use the text as is`);
  }
  return { systemPrompt: version.systemPrompt, userPrompt: version.expandedUserPrompt };
}

/** Stores the run's version link (inside the run's insert transaction), so every VLM run names the exact prompt it used. */
export function linkRunPromptVersion(db: Db, runId: number, versionId: number | null, systemPrompt: string, userPrompt: string): void {
  const id = versionId ?? findOrCreateVersionForText(db, systemPrompt, userPrompt);
  stmt(db, 'UPDATE eval_runs SET prompt_version_id = ? WHERE id = ?').run(id, runId);
}
