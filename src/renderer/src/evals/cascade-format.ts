/** The mode as runs list and header show it: a cascade run's mode says it decodes over the classifier's top-k. */
import type { EvalRun } from '../../../shared/eval-types';
import { modeLabel } from './eval-format';

export function runModeLabel(run: EvalRun): string {
  return run.cascade ? `${modeLabel(run.mode)} · cascade top-${run.cascade.k}` : modeLabel(run.mode);
}
