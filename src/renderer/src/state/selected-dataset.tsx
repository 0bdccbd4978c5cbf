/** The one selected dataset every page follows (sidebar, Data, Evals, dialogs): derived from the cached list, never stale. */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { DatasetSummary } from '../../../shared/domain';
import { useDatasets } from './use-datasets';

export interface SelectedDataset {
  datasetId: number | null;
  dataset: DatasetSummary | null;
  datasets: DatasetSummary[];
  loaded: boolean;
  select: (datasetId: number) => void;
}

const SelectedDatasetContext = createContext<SelectedDataset | null>(null);

export function SelectedDatasetProvider({ children }: { children: ReactNode }) {
  const { datasets, loaded } = useDatasets();
  const [chosen, setChosen] = useState<number | null>(null);
  // The chosen one while it exists, else the first: a deleted or not-yet-listed dataset never lingers.
  const dataset = datasets.find((d) => d.id === chosen) ?? datasets[0] ?? null;
  const value = useMemo<SelectedDataset>(
    () => ({ datasetId: dataset?.id ?? null, dataset, datasets, loaded, select: setChosen }),
    [dataset, datasets, loaded],
  );
  return <SelectedDatasetContext.Provider value={value}>{children}</SelectedDatasetContext.Provider>;
}

export function useSelectedDataset(): SelectedDataset {
  const value = useContext(SelectedDatasetContext);
  if (!value) throw new Error('useSelectedDataset() used outside <SelectedDatasetProvider>');
  return value;
}
