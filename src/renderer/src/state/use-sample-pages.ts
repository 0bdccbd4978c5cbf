/**
 * On-demand page cache over the filtered, sorted sample set shared by the table and the grid:
 * pages of PAGE_SIZE are fetched as rows scroll into view, cached by offset, and dropped on
 * filter/sort change; refresh() re-fetches the cached pages in place (after edits or 'dataset:changed').
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Sample } from '../../../shared/domain';
import { filterKey, toSampleFilter, type ViewFilter, type ViewSort } from '../lib/view-filter';
import { useStudio } from './studio-context';

export const PAGE_SIZE = 200;
const MAX_CACHED_PAGES = 40;

export interface SamplePages {
  total: number;
  /** False until the first page of the current query has arrived. */
  ready: boolean;
  /** Bumps whenever cached rows change, so memoised consumers can re-read. */
  revision: number;
  getRow: (index: number) => Sample | undefined;
  ensureRange: (start: number, end: number) => void;
  refresh: () => Promise<void>;
  indexOfId: (id: number) => number;
}

export function useSamplePages(datasetId: number | null, view: ViewFilter, sort: ViewSort): SamplePages {
  const { api, reportError } = useStudio();
  const cache = useRef(new Map<number, Sample[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState(0);
  const [ready, setReady] = useState(false);
  const [revision, setRevision] = useState(0);
  const key = filterKey(datasetId, view, sort);
  const query = useRef({ datasetId, view, sort });
  query.current = { datasetId, view, sort };

  const fetchPage = useCallback(
    async (offset: number) => {
      const { datasetId: id, view: v, sort: s } = query.current;
      if (id === null) return null;
      return api.samples.page({ filter: toSampleFilter(id, v), sort: s, offset, limit: PAGE_SIZE });
    },
    [api],
  );

  const loadPage = useCallback(
    (offset: number) => {
      if (cache.current.has(offset) || inflight.current.has(offset)) return;
      const gen = generation.current;
      inflight.current.add(offset);
      fetchPage(offset)
        .then((page) => {
          if (gen !== generation.current || !page) return;
          cache.current.set(offset, page.rows);
          evictFarPages(cache.current, offset);
          setTotal(page.total);
          setReady(true);
          setRevision((r) => r + 1);
        })
        .catch((error: unknown) => {
          if (gen === generation.current) reportError('Loading samples', error);
        })
        .finally(() => {
          if (gen === generation.current) inflight.current.delete(offset);
        });
    },
    [fetchPage, reportError],
  );

  // New query: forget everything and fetch the first page.
  useEffect(() => {
    generation.current++;
    cache.current = new Map();
    inflight.current = new Set();
    setReady(false);
    setTotal(0);
    setRevision((r) => r + 1);
    if (datasetId !== null) loadPage(0);
  }, [key, datasetId, loadPage]);

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    inflight.current = new Set();
    const offsets = cache.current.size > 0 ? [...cache.current.keys()] : [0];
    try {
      const pages = await Promise.all(offsets.map((o) => fetchPage(o)));
      if (gen !== generation.current) return;
      const next = new Map<number, Sample[]>();
      let newTotal = 0;
      pages.forEach((page, i) => {
        if (!page) return;
        newTotal = page.total;
        if (offsets[i] < page.total || offsets[i] === 0) next.set(offsets[i], page.rows);
      });
      cache.current = next;
      setTotal(newTotal);
      setReady(true);
      setRevision((r) => r + 1);
    } catch (error) {
      if (gen === generation.current) reportError('Refreshing samples', error);
    }
  }, [fetchPage, reportError]);

  useEffect(() => {
    return api.on('dataset:changed', (event) => {
      if (event.datasetId === query.current.datasetId) void refresh();
    });
  }, [api, refresh]);

  const getRow = useCallback((index: number) => {
    const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
    return cache.current.get(offset)?.[index - offset];
  }, []);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      if (query.current.datasetId === null) return;
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE) * PAGE_SIZE;
      for (let offset = first; offset <= end; offset += PAGE_SIZE) loadPage(offset);
    },
    [loadPage],
  );

  const indexOfId = useCallback((id: number) => {
    for (const [offset, rows] of cache.current) {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) return offset + i;
    }
    return -1;
  }, []);

  return { total, ready, revision, getRow, ensureRange, refresh, indexOfId };
}

function evictFarPages(cache: Map<number, Sample[]>, around: number): void {
  if (cache.size <= MAX_CACHED_PAGES) return;
  const far = [...cache.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
  for (const offset of far.slice(0, cache.size - MAX_CACHED_PAGES)) cache.delete(offset);
}
