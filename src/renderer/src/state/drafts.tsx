/** Unsent form input kept above the screens, so leaving a form (to another section) and coming back finds it as it was. */
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

const DraftsContext = createContext<Map<string, unknown> | null>(null);

export function DraftsProvider({ children }: { children: ReactNode }) {
  const store = useRef(new Map<string, unknown>());
  return <DraftsContext.Provider value={store.current}>{children}</DraftsContext.Provider>;
}

/** Like useState for a form object, remembered under `key` across unmounts; discard() forgets it (after a submit). */
export function useDraft<T extends object>(key: string, initial: T): [T, (patch: Partial<T>) => void, () => void] {
  const store = useContext(DraftsContext);
  if (!store) throw new Error('useDraft() used outside <DraftsProvider>');
  const [value, setValue] = useState<T>(() => (store.get(key) as T | undefined) ?? initial);
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setValue((store.get(key) as T | undefined) ?? initial);
  }
  const set = useCallback(
    (patch: Partial<T>) =>
      setValue((current) => {
        const next = { ...current, ...patch };
        store.set(key, next);
        return next;
      }),
    [store, key],
  );
  const discard = useCallback(() => store.delete(key), [store, key]);
  return [value, set, discard];
}
