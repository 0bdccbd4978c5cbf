/** What to ask the model: kept apart from types.ts so architecture modules can shape it without an import cycle. */
export interface PromptSpec {
  /** Optional system message (LFM2-VL renders it as a system turn; SmolVLM as a "System:" turn). */
  system?: string;
  /** User message; `{{labels}}` expands to one "- label" line per label. */
  user: string;
  labels: readonly string[];
}
