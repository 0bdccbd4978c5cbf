/** The toolbar's filter state and its translation into the API's SampleFilter. */
import type { SampleFilter, SampleStatus, SortKey, Split } from '../../../shared/domain';

export const UNLABELLED = -1;

export interface ViewFilter {
  classIds: number[];
  splits: (Split | 'none')[];
  status: SampleStatus | 'all';
  text: string;
  /** Only a finder run's suspects (in its rank order under the default sort); absent/null = all samples. */
  finderRunId?: number | null;
}

export interface ViewSort {
  key: SortKey;
  desc: boolean;
}

export const DEFAULT_FILTER: ViewFilter = { classIds: [], splits: [], status: 'active', text: '' };
export const DEFAULT_SORT: ViewSort = { key: 'id', desc: false };

export function toSampleFilter(datasetId: number, view: ViewFilter): SampleFilter {
  const filter: SampleFilter = { datasetId, status: view.status };
  if (view.classIds.length > 0) filter.classIds = view.classIds;
  if (view.splits.length > 0) filter.splits = view.splits;
  const text = view.text.trim();
  if (text) filter.text = text;
  if (view.finderRunId) filter.finderRunId = view.finderRunId;
  return filter;
}

export function filterKey(datasetId: number | null, view: ViewFilter, sort: ViewSort): string {
  return JSON.stringify([datasetId, view, sort]);
}
