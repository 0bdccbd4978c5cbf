/** The filtered, sorted sample set shared by the table and the grid, paged on the query cache (see usePagedQuery). */
import { useCallback, useMemo } from 'react';
import type { Sample, SamplePage } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { usePagedQuery } from '../data/use-paged-query';
import { filterKey, toSampleFilter, type ViewFilter, type ViewSort } from '../lib/view-filter';
import { useStudio } from './studio-context';

export const PAGE_SIZE = 200;

export interface SamplePages {
  total: number;
  /** False until the first page of the current query has arrived. */
  ready: boolean;
  /** Bumps whenever loaded rows change, so memoised consumers can re-read. */
  revision: number;
  getRow: (index: number) => Sample | undefined;
  ensureRange: (start: number, end: number) => void;
  refresh: () => Promise<void>;
  indexOfId: (id: number) => number;
}

export function useSamplePages(datasetId: number | null, view: ViewFilter, sort: ViewSort): SamplePages {
  const { api } = useStudio();
  const baseKey = useMemo(() => queryKeys.samples(datasetId ?? 0), [datasetId]);
  const paged = usePagedQuery<Sample, SamplePage>({
    baseKey,
    query: filterKey(datasetId, view, sort),
    pageSize: PAGE_SIZE,
    enabled: datasetId !== null,
    fetchPage: (offset) => api.samples.page({ filter: toSampleFilter(datasetId ?? 0, view), sort, offset, limit: PAGE_SIZE }),
    errorContext: 'Loading samples',
  });
  const { findIndex } = paged;
  const indexOfId = useCallback((id: number) => findIndex((row) => row.id === id), [findIndex]);
  return {
    total: paged.total,
    ready: paged.ready,
    revision: paged.revision,
    getRow: paged.getRow,
    ensureRange: paged.ensureRange,
    refresh: paged.refresh,
    indexOfId,
  };
}
