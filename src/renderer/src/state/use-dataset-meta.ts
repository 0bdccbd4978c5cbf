/** Per-dataset metadata that the chrome shows: classes with counts, versions, undo/redo state. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClassInfo, DatasetVersion, UndoState } from '../../../shared/domain';
import { useStudio } from './studio-context';

const NO_UNDO: UndoState = { canUndo: false, canRedo: false, undoSummary: null, redoSummary: null };

export interface DatasetMeta {
  classes: ClassInfo[];
  versions: DatasetVersion[];
  undo: UndoState;
  setUndo: (undo: UndoState) => void;
  setClasses: (classes: ClassInfo[]) => void;
  refresh: () => Promise<void>;
}

export function useDatasetMeta(datasetId: number | null): DatasetMeta {
  const { api, reportError } = useStudio();
  const [classes, setClasses] = useState<ClassInfo[]>([]);
  const [versions, setVersions] = useState<DatasetVersion[]>([]);
  const [undo, setUndo] = useState<UndoState>(NO_UNDO);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    if (datasetId === null) {
      setClasses([]);
      setVersions([]);
      setUndo(NO_UNDO);
      return;
    }
    try {
      const [c, v, u] = await Promise.all([
        api.classes.list({ datasetId }),
        api.versions.list({ datasetId }),
        api.history.state({ datasetId }),
      ]);
      if (gen !== generation.current) return;
      setClasses([...c].sort((a, b) => a.position - b.position));
      setVersions([...v].sort((a, b) => a.id - b.id)); // oldest first; the sidebar shows newest first
      setUndo(u);
    } catch (error) {
      reportError('Loading dataset details', error);
    }
  }, [api, datasetId, reportError]);

  useEffect(() => {
    void refresh();
    return api.on('dataset:changed', (event) => {
      if (event.datasetId === datasetId) void refresh();
    });
  }, [api, datasetId, refresh]);

  const setSortedClasses = useCallback((list: ClassInfo[]) => {
    setClasses([...list].sort((a, b) => a.position - b.position));
  }, []);

  return { classes, versions, undo, setUndo, setClasses: setSortedClasses, refresh };
}
