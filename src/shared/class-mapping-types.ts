/** Class mappings (a classifier's own classes → dataset classes) as saved, editable objects, and a run's out-of-distribution summary. */

/** A single model class index, or an inclusive range of them. */
export type ModelClassSpec = number | { from: number; to: number };

/** The JSON a run stores (eval_runs.class_mapping_json) and a saved mapping holds. */
export interface ClassMapping {
  name: string;
  /** Target (dataset) classes in order; each groups one or more model classes. */
  classes: { label: string; modelClasses: ModelClassSpec[] }[];
  /** Target that receives every model class not listed in `classes` (e.g. "other"); absent/null = those are left out and renormalised away. */
  rest?: string | null;
  /** Which target is the abstain answer ("unknown"), if any; one of the targets. */
  abstain?: string | null;
}

/** A mapping saved in the workspace (table class_mappings). */
export interface SavedClassMapping {
  id: number;
  name: string;
  /** The classifier whose labels.txt it was built from (null once that model is removed). */
  modelId: number | null;
  /** Size of the model's label list the indices refer to. */
  modelClassCount: number;
  mapping: ClassMapping;
  createdAt: string;
  updatedAt: string;
}

/** What the editor saves: a new mapping (id absent) or a new content for an existing one. */
export interface SaveClassMappingParams {
  id?: number | null;
  modelId: number;
  mapping: ClassMapping;
}

/** Run-level out-of-distribution signal of a classifier run: model probability mass outside every explicitly mapped class. */
export interface OodSummary {
  runId: number;
  /** Finished samples that carry an OOD mass (0 for a run that is not a mapped classifier run). */
  count: number;
  meanOodMass: number | null;
  /** Share of those samples whose OOD mass exceeds 0.5. */
  shareAboveHalf: number | null;
  /** The model's own top-1 classes among the samples with OOD mass > 0.5, most frequent first. */
  topOutsideClasses: { label: string; count: number }[];
}

/** The "> 0.5" threshold of OodSummary.shareAboveHalf, defined once. */
export const OOD_HIGH_THRESHOLD = 0.5;
