/** Workspace dataset list, kept fresh from 'dataset:changed' and finished jobs. */
import { useCallback, useEffect, useState } from 'react';
import type { DatasetSummary } from '../../../shared/domain';
import { useStudio } from './studio-context';

export interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
  refresh: () => Promise<void>;
}

export function useDatasets(): DatasetsState {
  const { api, reportError } = useStudio();
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setDatasets(await api.datasets.list({}));
    } catch (error) {
      reportError('Loading datasets', error);
    } finally {
      setLoaded(true);
    }
  }, [api, reportError]);

  useEffect(() => {
    void refresh();
    const offDataset = api.on('dataset:changed', () => void refresh());
    const offJobs = api.on('jobs:changed', (job) => {
      if (job.status !== 'queued' && job.status !== 'running') void refresh();
    });
    return () => {
      offDataset();
      offJobs();
    };
  }, [api, refresh]);

  return { datasets, loaded, refresh };
}
