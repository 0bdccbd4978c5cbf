/** Column widths the user dragged, kept across Table/Grid switches and restarts (localStorage), so a resize is not lost. */
import { useEffect, useState } from 'react';
import type { ColumnSizingState } from '@tanstack/react-table';

const STORAGE_KEY = 'studio.sampleTable.columnSizing';

function read(): ColumnSizingState {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'number' && v > 0 && v < 2000)) as ColumnSizingState;
  } catch {
    return {};
  }
}

export function useColumnSizing(): [ColumnSizingState, (next: ColumnSizingState | ((old: ColumnSizingState) => ColumnSizingState)) => void] {
  const [sizing, setSizing] = useState<ColumnSizingState>(read);
  useEffect(() => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(sizing));
    } catch {
      // Storage full or disabled: the widths still hold for this session.
    }
  }, [sizing]);
  return [sizing, setSizing];
}
