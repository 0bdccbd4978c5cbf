/** Cascade runs (classifier proposes top-k labels, the VLM picks among them): params, per-sample stage 1 and the report. */

/** How a cascade run is configured; the agreed `EvalRun.cascade` shape. */
export interface EvalCascade {
  classifierModelId: number;
  /** How many of the classifier's best labels the VLM chooses among. */
  k: number;
  /** A saved class mapping (table class_mappings); null = the inline / by-name mapping stored with the run. */
  classMappingId: number | null;
}

/** Classifier classes (model output indices) per candidate label; labels left out can never be proposed. */
export interface CascadeMappingInput {
  name: string;
  classes: { label: string; modelClasses: number[] }[];
}

/** CreateEvalParams.cascade: without a mapping (and without classMappingId) the labels are matched to the classifier's by name. */
export interface CascadeParams {
  classifierModelId: number;
  k: number;
  classMappingId?: number | null;
  mapping?: CascadeMappingInput | null;
}

/** Stage 1 of one sample: the k labels proposed (best first) with the classifier's mapped probabilities. */
export interface CascadeStage1 {
  labels: string[];
  /** Renormalised over the mapped classes' mass, aligned with `labels`. */
  probabilities: number[];
  /** Classifier mass that fell on classes outside every mapped label. */
  unmappedMass: number;
}

/** What the name matcher found for one candidate label. */
export interface NameMatch {
  label: string;
  modelClasses: { index: number; name: string }[];
}

/** Mapping suggestion for the new-eval form: matched and unmatched labels. */
export interface CascadeMappingSuggestion {
  mapping: CascadeMappingInput;
  matches: NameMatch[];
  unmatched: string[];
}

/** Accuracy of one arm over the samples finished in every compared arm. */
export interface CascadeArm {
  correct: number;
  n: number;
  accuracy: number | null;
  /** Median per-sample latency in ms; null without latencies. */
  p50LatencyMs: number | null;
}

/** A finished run over the same plan that can stand for "stage 2 alone" (the VLM over all labels). */
export interface CascadeSiblingRun {
  id: number;
  name: string;
  mode: string;
  status: string;
}

/** The cascade report of one run: each stage alone against the cascade, on the same samples. */
export interface CascadeReport {
  runId: number;
  k: number;
  classifierName: string;
  mappingName: string;
  /** Labels the mapping covers (the classifier can propose) of the run's candidate labels. */
  mappedLabels: number;
  totalLabels: number;
  /** Samples finished in the cascade (and in the stage-2 run when one is chosen). */
  shared: number;
  stage1: CascadeArm;
  /** How often the truth is among the k proposals: the cascade's ceiling. */
  topKRecall: { hits: number; n: number; recall: number | null };
  cascade: CascadeArm;
  /** The VLM over all labels (a sibling run on the same plan); null when none was chosen or exists. */
  stage2: (CascadeArm & { runId: number; runName: string }) | null;
  /** Cascade accuracy on the samples whose truth was proposed (how well the VLM picks within the k). */
  cascadeGivenRecall: number | null;
  stage1P50Ms: number | null;
  stage2P50Ms: number | null;
  siblings: CascadeSiblingRun[];
}
