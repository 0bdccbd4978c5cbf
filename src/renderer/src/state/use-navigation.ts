/** Focus movement and mouse selection over the virtual view (table: 1 column, grid: N columns). */
import { useCallback } from 'react';
import type { Sample } from '../../../shared/domain';
import type { ClickModifiers } from '../components/sample-table';
import type { SamplePages } from './use-sample-pages';
import type { Selection } from './use-selection';

export interface Navigation {
  move: (delta: { rows?: number; cols?: number }, extend: boolean) => void;
  jump: (where: 'first' | 'last' | 'pageUp' | 'pageDown') => void;
  activate: (index: number, sample: Sample, modifiers: ClickModifiers) => void;
  toggleFocused: () => void;
}

export function useNavigation(pages: SamplePages, selection: Selection, columns: number): Navigation {
  const { focusIndex, anchorIndex, setFocus, add, toggle, replace, clear } = selection;
  const { total, getRow } = pages;

  const idsBetween = useCallback(
    (a: number, b: number) => {
      const ids: number[] = [];
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        const row = getRow(i);
        if (row) ids.push(row.id);
      }
      return ids;
    },
    [getRow],
  );

  const goTo = useCallback(
    (target: number, extend: boolean) => {
      if (total === 0) return;
      const next = Math.max(0, Math.min(total - 1, target));
      if (extend) add(idsBetween(Math.max(0, focusIndex), next));
      setFocus(next);
    },
    [total, add, idsBetween, focusIndex, setFocus],
  );

  const move = useCallback(
    (delta: { rows?: number; cols?: number }, extend: boolean) => {
      if (columns === 1 && delta.cols) return; // left/right only mean something in the grid
      const start = focusIndex < 0 ? 0 : focusIndex;
      const step = (delta.rows ?? 0) * columns + (delta.cols ?? 0);
      goTo(focusIndex < 0 ? 0 : start + step, extend);
    },
    [columns, focusIndex, goTo],
  );

  const jump = useCallback(
    (where: 'first' | 'last' | 'pageUp' | 'pageDown') => {
      const page = 10 * columns;
      const start = Math.max(0, focusIndex);
      const target = where === 'first' ? 0 : where === 'last' ? total - 1 : where === 'pageUp' ? start - page : start + page;
      goTo(target, false);
    },
    [columns, focusIndex, total, goTo],
  );

  const activate = useCallback(
    (index: number, sample: Sample, m: ClickModifiers) => {
      if (m.shiftKey) {
        const anchor = anchorIndex >= 0 ? anchorIndex : Math.max(0, focusIndex);
        const ids = idsBetween(anchor, index);
        if (m.ctrlKey || m.metaKey) add(ids);
        else replace(ids);
      } else if (m.ctrlKey || m.metaKey) {
        toggle(sample.id, index);
      } else {
        clear();
        replace([], index);
      }
      setFocus(index);
    },
    [anchorIndex, focusIndex, idsBetween, add, replace, toggle, clear, setFocus],
  );

  const toggleFocused = useCallback(() => {
    const row = focusIndex >= 0 ? getRow(focusIndex) : undefined;
    if (row) toggle(row.id, focusIndex);
  }, [focusIndex, getRow, toggle]);

  return { move, jump, activate, toggleFocused };
}
