/** Focused row (by index in the current view) plus the multi-selection (by sample id). */
import { useCallback, useState } from 'react';

export interface Selection {
  focusIndex: number;
  selected: ReadonlySet<number>;
  anchorIndex: number;
  setFocus: (index: number) => void;
  toggle: (id: number, index: number) => void;
  add: (ids: number[]) => void;
  replace: (ids: number[], anchorIndex?: number) => void;
  clear: () => void;
  reset: () => void;
}

export function useSelection(): Selection {
  const [focusIndex, setFocusIndex] = useState(-1);
  const [anchorIndex, setAnchorIndex] = useState(-1);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());

  const setFocus = useCallback((index: number) => setFocusIndex(index), []);

  const toggle = useCallback((id: number, index: number) => {
    setAnchorIndex(index);
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const add = useCallback((ids: number[]) => {
    setSelected((prev) => new Set([...prev, ...ids]));
  }, []);

  const replace = useCallback((ids: number[], anchor?: number) => {
    setSelected(new Set(ids));
    if (anchor !== undefined) setAnchorIndex(anchor);
  }, []);

  const clear = useCallback(() => setSelected(new Set()), []);

  const reset = useCallback(() => {
    setSelected(new Set());
    setFocusIndex(-1);
    setAnchorIndex(-1);
  }, []);

  return { focusIndex, selected, anchorIndex, setFocus, toggle, add, replace, clear, reset };
}
