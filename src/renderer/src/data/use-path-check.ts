/** Live path checks for the Import/Export dialogs: main looks at the path shortly after typing stops, so problems show before submit. */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ImportFormat } from '../../../shared/domain';
import type { PathCheck } from '../../../shared/path-check';
import { useStudio } from '../state/studio-context';

const TYPING_PAUSE_MS = 350;

function useSettled<T>(value: T): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/** The check of what is typed now, or null while typing / before anything is typed (the filesystem may change: never cached long). */
function useCheck(key: string, path: string, run: () => Promise<PathCheck>): PathCheck | null {
  const settled = useSettled(`${key}\n${path}`);
  const query = useQuery({
    queryKey: ['path-check', settled],
    queryFn: run,
    enabled: path.trim() !== '' && settled === `${key}\n${path}`,
    staleTime: 0,
    gcTime: 10_000,
    meta: { errorContext: 'Checking the path' },
  });
  return settled === `${key}\n${path}` && path.trim() !== '' ? (query.data ?? null) : null;
}

export function useImportSourceCheck(source: string, format: ImportFormat): PathCheck | null {
  const { api } = useStudio();
  return useCheck(`import:${format}`, source.trim(), () => api.datasets.checkImportSource({ source: source.trim(), format }));
}

export function useExportDestinationCheck(destination: string): PathCheck | null {
  const { api } = useStudio();
  return useCheck('export', destination.trim(), () => api.versions.checkExportDestination({ destination: destination.trim() }));
}
