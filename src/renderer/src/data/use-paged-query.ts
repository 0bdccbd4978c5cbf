/**
 * Windowed paging over one server list on the query cache: each page is its own query ([...baseKey, query, offset]),
 * pages load as rows scroll into view, a change event's invalidation refetches the visible pages in place.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useQueries, useQueryClient } from '@tanstack/react-query';

/** Pages kept mounted around the most recent request; the rest fall back to the cache's garbage collection. */
const MAX_PAGES = 40;

export interface PageData<T> {
  rows: T[];
  total: number;
}

export interface PagedQueryOptions<P> {
  baseKey: readonly unknown[];
  /** Serialised filter/sort: a new value starts again from the first page. */
  query: string;
  pageSize: number;
  enabled: boolean;
  fetchPage: (offset: number) => Promise<P>;
  errorContext: string;
}

export interface Paged<T, P> {
  total: number;
  /** False until the first page of the current query has arrived. */
  ready: boolean;
  /** Changes whenever loaded rows change, so memoised consumers can re-read. */
  revision: number;
  /** The lowest loaded page (carries per-query extras such as outcome counts). */
  firstPage: P | undefined;
  getRow: (index: number) => T | undefined;
  ensureRange: (start: number, end: number) => void;
  /** Re-reads every loaded page; resolves when they have arrived. */
  refresh: () => Promise<void>;
  /** Index of the first loaded row matching, read from the cache (fresh even right after refresh()). */
  findIndex: (match: (row: T) => boolean) => number;
}

export function usePagedQuery<T, P extends PageData<T>>(opts: PagedQueryOptions<P>): Paged<T, P> {
  const { baseKey, query, pageSize, enabled, fetchPage, errorContext } = opts;
  const client = useQueryClient();
  const [wanted, setWanted] = useState<{ query: string; offsets: number[] }>({ query, offsets: [0] });
  const offsets = wanted.query === query ? wanted.offsets : [0];
  const keyOf = useCallback((offset: number) => [...baseKey, query, offset] as const, [baseKey, query]);

  const results = useQueries({
    queries: (enabled ? offsets : []).map((offset) => ({
      queryKey: keyOf(offset),
      queryFn: () => fetchPage(offset),
      meta: { errorContext },
    })),
  });

  const current = useRef({ offsets, keyOf });
  current.current = { offsets, keyOf };
  const readPage = useCallback((offset: number) => client.getQueryData<P>(current.current.keyOf(offset)), [client]);

  const loaded = results.map((r, i) => ({ offset: offsets[i], data: r.data })).filter((p) => p.data !== undefined);
  const first = loaded.length > 0 ? loaded.reduce((a, b) => (b.offset < a.offset ? b : a)) : undefined;
  const stamp = results.reduce((sum, r) => sum + r.dataUpdatedAt, 0);
  const revision = useMemo(() => stamp + offsets.length, [stamp, offsets.length]);

  const getRow = useCallback(
    (index: number) => {
      const offset = Math.floor(index / pageSize) * pageSize;
      return readPage(offset)?.rows[index - offset];
    },
    [pageSize, readPage],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      const need: number[] = [];
      for (let o = Math.floor(Math.max(0, start) / pageSize) * pageSize; o <= end; o += pageSize) need.push(o);
      setWanted((prev) => {
        const base = prev.query === query ? prev.offsets : [0];
        const missing = need.filter((o) => !base.includes(o));
        if (missing.length === 0 && prev.query === query) return prev;
        const around = need[0] ?? 0;
        const merged = [...base, ...missing].sort((a, b) => Math.abs(a - around) - Math.abs(b - around)).slice(0, MAX_PAGES);
        return { query, offsets: merged.sort((a, b) => a - b) };
      });
    },
    [pageSize, query],
  );

  const refresh = useCallback(async () => {
    await client.invalidateQueries({ queryKey: [...baseKey, query] });
  }, [client, baseKey, query]);

  const findIndex = useCallback(
    (match: (row: T) => boolean) => {
      for (const offset of current.current.offsets) {
        const i = readPage(offset)?.rows.findIndex(match) ?? -1;
        if (i >= 0) return offset + i;
      }
      return -1;
    },
    [readPage],
  );

  return { total: first?.data?.total ?? 0, ready: first !== undefined, revision, firstPage: first?.data, getRow, ensureRange, refresh, findIndex };
}
