/** One loaded model behind a per-image predict(): the run loop does not care which kind of model it drives. */
import { assertNever } from '../../shared/assert-never';
import type { EvalRun, RegisteredModel } from '../../shared/eval-types';
import type { ClassMapping } from '../inference/classifier/class-mapping';
import type { StoredCascade } from './cascade-stored';
import { loadClassifierEngine } from './eval-engine-classifier';
import type { EngineOptions, EvalEngine } from './eval-engine-types';

export type { EngineOptions, EvalEngine, SampleOutcome } from './eval-engine-types';

/** Loads the run's model once, for the run's mode. */
export async function loadEvalEngine(
  run: EvalRun,
  model: RegisteredModel,
  mapping: ClassMapping | null,
  opts: EngineOptions = {},
  cascade: StoredCascade | null = null,
): Promise<EvalEngine> {
  if (cascade !== null) {
    const { loadCascadeEngine } = await import('./eval-engine-cascade');
    return loadCascadeEngine(run, model.path, cascade, opts);
  }
  switch (run.mode) {
    case 'classifier':
      return loadClassifierEngine(model.path, run.labels, mapping, opts);
    case 'raw':
    case 'constrained':
    case 'scored': {
      // Loaded on demand: transformers.js is heavy and classifier evals never need it.
      const { loadVlmEngine } = await import('./eval-engine-vlm');
      return loadVlmEngine(run, model.path, run.mode);
    }
    default:
      return assertNever(run.mode, 'eval mode');
  }
}
