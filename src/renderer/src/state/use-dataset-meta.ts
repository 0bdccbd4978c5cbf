/** Per-dataset metadata that the chrome shows (classes with counts, versions, undo/redo state), read from the query cache. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClassInfo, DatasetVersion, UndoState } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { useStudio } from './studio-context';

const NO_UNDO: UndoState = { canUndo: false, canRedo: false, undoSummary: null, redoSummary: null };
const NO_CLASSES: ClassInfo[] = [];
const NO_VERSIONS: DatasetVersion[] = [];

export interface DatasetMeta {
  classes: ClassInfo[];
  /** Oldest first; the sidebar shows newest first. */
  versions: DatasetVersion[];
  undo: UndoState;
  /** Puts a fresh class list (returned by a class mutation) into the cache. */
  setClasses: (classes: ClassInfo[]) => void;
}

const byPosition = (list: ClassInfo[]) => [...list].sort((a, b) => a.position - b.position);

export function useDatasetMeta(datasetId: number | null): DatasetMeta {
  const { api } = useStudio();
  const client = useQueryClient();
  const id = datasetId ?? 0;
  const enabled = datasetId !== null;
  const classes = useQuery({
    queryKey: queryKeys.classes(id),
    queryFn: async () => byPosition(await api.classes.list({ datasetId: id })),
    enabled,
    meta: { errorContext: 'Loading classes' },
  });
  const versions = useQuery({
    queryKey: queryKeys.versions(id),
    queryFn: async () => [...(await api.versions.list({ datasetId: id }))].sort((a, b) => a.id - b.id),
    enabled,
    meta: { errorContext: 'Loading versions' },
  });
  const undo = useQuery({
    queryKey: queryKeys.undo(id),
    queryFn: () => api.history.state({ datasetId: id }),
    enabled,
    meta: { errorContext: 'Loading undo state' },
  });
  const setClasses = useCallback(
    (list: ClassInfo[]) => {
      if (datasetId !== null) client.setQueryData(queryKeys.classes(datasetId), byPosition(list));
    },
    [client, datasetId],
  );
  if (!enabled) return { classes: NO_CLASSES, versions: NO_VERSIONS, undo: NO_UNDO, setClasses };
  return { classes: classes.data ?? NO_CLASSES, versions: versions.data ?? NO_VERSIONS, undo: undo.data ?? NO_UNDO, setClasses };
}
