/** The renderer's one QueryClient: data stays fresh until a main-process change event invalidates it, and load errors reach the banner. */
import { QueryCache, QueryClient } from '@tanstack/react-query';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { errorContext?: string };
  }
}

export function createStudioQueryClient(reportError: (context: string, error: unknown) => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => reportError(query.meta?.errorContext ?? 'Loading data', error),
    }),
    defaultOptions: {
      // Freshness comes from 'dataset:changed' / 'jobs:changed', not from timers or window focus.
      queries: { staleTime: Infinity, gcTime: 5 * 60_000, retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
  });
}
