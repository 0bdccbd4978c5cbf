/** View models the eval dashboard asks for: filtered sample pages, run comparisons, prompt history. */
import type { EvalSampleRow } from './eval-types';

export type EvalOutcome = 'correct' | 'wrong' | 'off-label' | 'error' | 'pending';

export interface EvalSampleView extends EvalSampleRow {
  outcome: EvalOutcome;
  /** Probability of the predicted label (scored/classifier), else null. */
  confidence: number | null;
  /** Studio sample id still present in the dataset (for thumbnails and clean-up from the report). */
  datasetSampleExists: boolean;
  /** The sample's label and status in the dataset now (after edits from the grid), null when it is gone or unlabelled. */
  currentLabel?: string | null;
  currentStatus?: 'active' | 'dropped' | null;
}

export interface EvalSamplePage {
  total: number;
  offset: number;
  rows: EvalSampleView[];
  /** Counts per outcome over the whole run (for the filter chips). */
  outcomeCounts: Record<EvalOutcome, number>;
}

export interface EvalComparisonRow {
  sampleId: number;
  originalPath: string;
  truth: string;
  a: string | null;
  b: string | null;
}

export interface EvalComparison {
  aId: number;
  bId: number;
  /** Samples finished in both runs (the comparison is over these only). */
  shared: number;
  bothCorrect: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
  /** McNemar's exact two-sided p-value over the discordant pairs (onlyA vs onlyB). */
  mcnemarP: number;
  /** Seeded paired bootstrap 95 % CI of accuracy(B) − accuracy(A) over the shared samples; null when none is shared. */
  accuracyDiffCi: { diff: number; low: number; high: number; level: number; resamples: number; seed: number } | null;
  /** Samples where exactly one run is right, then where both are wrong with different answers. */
  disagreements: EvalComparisonRow[];
  sameVersion: boolean;
}

export interface PromptHistoryEntry {
  systemPrompt: string;
  userPrompt: string;
  runs: number;
  lastUsed: string;
  /** Best accuracy of a finished run with this prompt, null if none finished. */
  bestAccuracy: number | null;
  bestRunId: number | null;
}
