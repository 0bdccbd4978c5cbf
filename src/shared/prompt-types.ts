/** Prompts as versioned objects (main's prompt store, the Prompts screen, the New eval form, the matrix): one list of shapes. */

/** Name of the one ad-hoc prompt whose versions hold prompt texts that runs used without saving them (CLI, YAML, edited drafts). */
export const AD_HOC_PROMPT_NAME = 'unsaved';

/** One immutable, numbered version of a prompt. */
export interface PromptVersion {
  id: number;
  promptId: number;
  promptName: string;
  /** 1, 2, 3… within its prompt. */
  number: number;
  /** "cats-dogs v3": how runs, tables and pickers name it. */
  displayName: string;
  /** True for versions of the ad-hoc "unsaved" prompt (found or created from a run's raw text). */
  adHoc: boolean;
  systemPrompt: string;
  /** The template as written: {{labels}} and {{label_descriptions}} placeholders unexpanded. */
  userPrompt: string;
  /** label → description, expanded where the template says {{label_descriptions}}. */
  labelDescriptions: Record<string, string>;
  /** The user prompt a run stores: {{label_descriptions}} expanded, {{labels}} kept (filled per run from its labels). */
  expandedUserPrompt: string;
  note: string;
  createdAt: string;
  /** Eval runs that used this version. */
  runCount: number;
}

/** A prompt with its newest version (the Prompts list). */
export interface PromptSummary {
  id: number;
  name: string;
  adHoc: boolean;
  createdAt: string;
  versionCount: number;
  latest: PromptVersion | null;
}

/** A prompt and its full history, newest version first. */
export interface PromptDetail {
  prompt: Omit<PromptSummary, 'latest'>;
  versions: PromptVersion[];
}

/** Saves a new version: of an existing prompt (promptId), or the first version of a new named prompt (name). */
export interface SavePromptVersionParams {
  promptId?: number;
  name?: string;
  systemPrompt: string;
  userPrompt: string;
  labelDescriptions?: Record<string, string>;
  note?: string;
}

/** Result of a save: `created` false when the content equals the prompt's newest version (no empty version is added). */
export interface SavePromptVersionResult {
  version: PromptVersion;
  created: boolean;
}
