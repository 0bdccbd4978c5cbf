/** Handlers for cascade runs: the per-run cascade report, the by-name label mapping the new-eval form previews, a run's cascade for reruns. */
import type { Handlers } from './handler-types';
import type { Workspace } from '../workspace/workspace';
import { StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { classifierLabels, matchLabelsByName } from '../evals/cascade-mapping';
import { runCascadeParams } from '../evals/cascade-plan';
import { cascadeReport } from '../evals/cascade-report';

type CascadeChannel = Extract<keyof Handlers, `cascade:${string}`>;

export function createCascadeHandlers(workspace: Workspace): Pick<Handlers, CascadeChannel> {
  const { db } = workspace;
  return {
    'cascade:report': ({ runId, stage2RunId }) => cascadeReport(db, runId, stage2RunId),
    'cascade:suggestMapping': async ({ classifierModelId, labels }) => {
      const model = getModel(db, classifierModelId);
      if (model.kind !== 'onnx-classifier') throw new StudioError('invalid-args', `"${model.name}" is not an ONNX classifier`);
      return matchLabelsByName(labels, await classifierLabels(model.path));
    },
    'cascade:runParams': ({ runId }) => runCascadeParams(db, runId),
  };
}
