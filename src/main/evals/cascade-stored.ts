/** The JSON a cascade run keeps in eval_runs.cascade_json and eval_samples.stage1_json, read back into the shared types. */
import type { CascadeStage1, EvalCascade } from '../../shared/cascade-types';
import type { ClassMapping } from '../inference/classifier/class-mapping';

/** What a cascade run stores: the agreed fields plus the classifier's names and the mapping itself (history survives edits). */
export interface StoredCascade extends EvalCascade {
  classifierName: string;
  classifierPath: string;
  /** The label → classifier classes mapping the run used (a snapshot, also when it came from a saved mapping). */
  mapping: ClassMapping;
}

/** The full stored cascade config (null for a plain run). */
export function parseStoredCascade(json: string | null): StoredCascade | null {
  return json === null ? null : (JSON.parse(json) as StoredCascade);
}

/** EvalRun.cascade: only the agreed fields. */
export function parseRunCascade(json: string | null): EvalCascade | null {
  const stored = parseStoredCascade(json);
  return stored === null ? null : { classifierModelId: stored.classifierModelId, k: stored.k, classMappingId: stored.classMappingId };
}

export function parseStage1(json: string | null): CascadeStage1 | null {
  return json === null ? null : (JSON.parse(json) as CascadeStage1);
}
