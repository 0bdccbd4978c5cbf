/** The keyboard map of the cleaning workflow (ignored while typing in a text field; dialogs above it swallow keys). */
import { useKeyLayer } from '../keys/key-layers';
import { digitOf, isTextEntry } from '../keys/key-events';

export interface ShortcutHandlers {
  enabled: boolean;
  move: (delta: { rows?: number; cols?: number }, extend: boolean) => void;
  jump: (where: 'first' | 'last' | 'pageUp' | 'pageDown') => void;
  assignClass: (position: number) => void;
  unlabel: () => void;
  openDrop: () => void;
  restore: () => void;
  undo: () => void;
  redo: () => void;
  toggleSelect: () => void;
  selectAll: () => void;
  escape: () => void;
  help: () => void;
  toggleView: () => void;
  focusSearch: () => void;
}

/** The data view's key layer; dialogs sit above it as modal layers, so keys never reach it while one is open. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  useKeyLayer((event) => {
    if (event.key === 'Escape') {
      handlers.escape();
      return true;
    }
    if (isTextEntry(event.target) || event.altKey) return false;
    return dispatch(handlers, event, event.ctrlKey || event.metaKey);
  });
}

/** The Data view's key map as a function, so other grids (a run's results grid) bind exactly the same keys. */
export function dispatchShortcut(h: ShortcutHandlers, event: KeyboardEvent): boolean {
  return dispatch(h, event, event.ctrlKey || event.metaKey);
}

function dispatch(h: ShortcutHandlers, event: KeyboardEvent, mod: boolean): boolean {
  const key = event.key;
  if (key === '?' || (key === '/' && event.shiftKey)) {
    h.help();
    return true;
  }
  if (!h.enabled) return false;
  if (mod) {
    if (key.toLowerCase() === 'a') h.selectAll();
    else if (key.toLowerCase() === 'z') (event.shiftKey ? h.redo : h.undo)();
    else if (key.toLowerCase() === 'y') h.redo();
    else return false;
    return true;
  }
  const digit = digitOf(event);
  if (digit !== null && !event.shiftKey) {
    if (digit === 0) h.unlabel();
    else h.assignClass(digit);
    return true;
  }
  switch (key) {
    case 'ArrowDown':
      h.move({ rows: 1 }, event.shiftKey);
      return true;
    case 'ArrowUp':
      h.move({ rows: -1 }, event.shiftKey);
      return true;
    case 'ArrowLeft':
      h.move({ cols: -1 }, event.shiftKey);
      return true;
    case 'ArrowRight':
      h.move({ cols: 1 }, event.shiftKey);
      return true;
    case 'Home':
      h.jump('first');
      return true;
    case 'End':
      h.jump('last');
      return true;
    case 'PageUp':
      h.jump('pageUp');
      return true;
    case 'PageDown':
      h.jump('pageDown');
      return true;
    case ' ':
      h.toggleSelect();
      return true;
    case '/':
      h.focusSearch();
      return true;
  }
  switch (key.toLowerCase()) {
    case 'd':
      h.openDrop();
      return true;
    case 'r':
      h.restore();
      return true;
    case 'z':
      (event.shiftKey ? h.redo : h.undo)();
      return true;
    case 'v':
      h.toggleView();
      return true;
    default:
      return false;
  }
}

/** Shown by the help overlay; keep in sync with dispatch() above. */
export const SHORTCUT_HELP: { keys: string; action: string }[] = [
  { keys: '↑ ↓', action: 'Move focus (table and grid)' },
  { keys: '← →', action: 'Move focus left/right (grid)' },
  { keys: 'Shift + arrows', action: 'Extend the selection while moving' },
  { keys: 'Home / End, PgUp / PgDn', action: 'Jump to first / last / a page up or down' },
  { keys: '1 – 9', action: 'Assign the n-th class to the selection (or focused sample), then advance' },
  { keys: '0', action: 'Remove the label (unlabelled)' },
  { keys: 'D', action: 'Drop… (a preset number or your own words, then Enter)' },
  { keys: 'R', action: 'Restore dropped sample(s)' },
  { keys: 'Z  /  Ctrl+Z', action: 'Undo the last change' },
  { keys: 'Shift+Z  /  Ctrl+Shift+Z', action: 'Redo' },
  { keys: 'Space', action: 'Toggle selection of the focused sample' },
  { keys: 'Click, Shift+click, Ctrl/⌘+click', action: 'Focus, select a range, toggle one' },
  { keys: 'Ctrl/⌘ + A', action: 'Select every sample in the current view' },
  { keys: 'V', action: 'Switch Table / Grid view' },
  { keys: '/', action: 'Search' },
  { keys: 'Esc', action: 'Close dialog, or clear the selection' },
  { keys: '?', action: 'Show this help' },
];
