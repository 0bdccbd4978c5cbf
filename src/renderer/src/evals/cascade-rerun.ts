/** "Rerun with changes" from a cascade run: the New eval form's cascade option prefilled with that run's classifier, k and mapping. */
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CascadeParams } from '../../../shared/cascade-types';
import { useStudio } from '../state/studio-context';
import { NO_CASCADE, type CascadeChoice } from './cascade-options';

/** The form's cascade choice for a run's cascade: a saved mapping by id, the by-name match, or the stored mapping as custom JSON. */
export function cascadeChoiceFromParams(params: CascadeParams): CascadeChoice {
  const classes = params.mapping?.classes ?? [];
  const customJson = classes.length > 0 ? JSON.stringify(Object.fromEntries(classes.map((c) => [c.label, c.modelClasses])), null, 1) : '';
  const classMappingId = params.classMappingId ?? null;
  // Main names the mapping it matched by name "by-name"; anything else without a saved id was a custom mapping.
  const mapping: CascadeChoice['mapping'] = classMappingId !== null ? 'saved' : params.mapping && params.mapping.name !== 'by-name' ? 'custom' : 'by-name';
  return { ...NO_CASCADE, enabled: true, classifierId: params.classifierModelId, k: String(params.k), mapping, classMappingId, customJson };
}

/** Applies the run's cascade once per form (fromRunId undefined: a plain New eval, nothing to prefill). */
export function useRerunCascade(fromRunId: number | undefined, apply: (choice: CascadeChoice) => void): void {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: ['evals', 'cascade-params', fromRunId ?? 0],
    queryFn: () => api.cascade.runParams({ runId: fromRunId ?? 0 }),
    enabled: fromRunId !== undefined,
    meta: { errorContext: "Loading the run's cascade" },
  });
  const applied = useRef(false);
  useEffect(() => {
    if (applied.current || query.data === undefined) return;
    applied.current = true;
    if (query.data !== null) apply(cascadeChoiceFromParams(query.data));
  }, [query.data, apply]);
}
