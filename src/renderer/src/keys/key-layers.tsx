/**
 * The one keyboard system: a single window listener dispatching to a stack of layers. Dialogs push a modal layer
 * (Escape closes it; no key reaches the layers below), screens push their shortcut maps underneath.
 */
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';

/** Returns true when it handled the key (the event is then prevented and goes no further). */
export type KeyHandler = (event: KeyboardEvent) => boolean;

interface Layer {
  handler: { current: KeyHandler };
  modal: boolean;
  order: number;
}

/** The layer stack behind the one listener (exported for its unit test; screens use useKeyLayer). */
export class KeyStack {
  private layers: Layer[] = [];
  private counter = 0;

  push(handler: { current: KeyHandler }, modal: boolean): () => void {
    const layer = { handler, modal, order: this.counter++ };
    this.layers.push(layer);
    return () => {
      this.layers = this.layers.filter((l) => l !== layer);
    };
  }

  /** Modal layers first (newest on top), then screen layers (newest first); a modal layer ends the walk. */
  dispatch(event: KeyboardEvent): void {
    if (event.defaultPrevented) return; // an element's own handler (a tablist's arrows, a field) already used it
    const ordered = [...this.layers].sort((a, b) => Number(b.modal) - Number(a.modal) || b.order - a.order);
    for (const layer of ordered) {
      if (layer.handler.current(event)) {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      if (layer.modal) return;
    }
  }
}

const KeyContext = createContext<KeyStack | null>(null);

export function KeyboardProvider({ children }: { children: ReactNode }) {
  const stack = useMemo(() => new KeyStack(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => stack.dispatch(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stack]);
  return <KeyContext.Provider value={stack}>{children}</KeyContext.Provider>;
}

/** Pushes a key layer while mounted (and enabled); the latest handler is always the one called. */
export function useKeyLayer(handler: KeyHandler, options: { modal?: boolean; enabled?: boolean } = {}): void {
  const stack = useContext(KeyContext);
  if (!stack) throw new Error('useKeyLayer() used outside <KeyboardProvider>');
  const ref = useRef(handler);
  ref.current = handler;
  const modal = options.modal ?? false;
  const enabled = options.enabled ?? true;
  useEffect(() => (enabled ? stack.push(ref, modal) : undefined), [stack, modal, enabled]);
}
