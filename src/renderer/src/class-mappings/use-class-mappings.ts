/** Server state for class mappings: saved ones and presets, a classifier's labels, and a run's OOD summary. */
import { useQuery } from '@tanstack/react-query';
import type { ClassMapping, OodSummary, SavedClassMapping } from '../../../shared/class-mapping-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

const NONE: SavedClassMapping[] = [];
const NO_PRESETS: ClassMapping[] = [];

export function useClassMappings(): { saved: SavedClassMapping[]; presets: ClassMapping[] } {
  const { api } = useStudio();
  const saved = useQuery({
    queryKey: queryKeys.classMappings,
    queryFn: () => api.classMappings.list({}),
    meta: { errorContext: 'Loading class mappings' },
  });
  const presets = useQuery({
    queryKey: [...queryKeys.classMappings, 'presets'],
    queryFn: () => api.classMappings.presets({}),
    staleTime: Infinity,
    meta: { errorContext: 'Loading class mapping presets' },
  });
  return { saved: saved.data ?? NONE, presets: presets.data ?? NO_PRESETS };
}

/** The classifier's own labels (null while loading or without a model). */
export function useModelLabels(modelId: number | null): string[] | null {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.modelLabels(modelId ?? 0),
    queryFn: () => api.classMappings.modelLabels({ modelId: modelId as number }),
    enabled: modelId !== null,
    staleTime: Infinity,
    meta: { errorContext: "Reading the classifier's labels" },
  });
  return query.data ?? null;
}

export function useOodSummary(runId: number, enabled: boolean): OodSummary | null {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.evalOod(runId),
    queryFn: () => api.classMappings.ood({ runId }),
    enabled,
    meta: { errorContext: 'Loading the OOD summary' },
  });
  return query.data ?? null;
}
