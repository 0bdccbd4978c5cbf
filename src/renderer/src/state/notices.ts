/** Error notices and the action toast: both dismiss themselves (errors later, with a close button), errors capped at a few. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors';

/** Errors stay long enough to read a sentence or two; toasts are one-line confirmations. */
export const ERROR_MS = 9000;
export const TOAST_MS = 3500;
/** Older errors make room: a burst of failures never fills the screen. */
export const MAX_ERRORS = 3;

export interface ErrorNotice {
  id: number;
  context: string;
  message: string;
}

export interface Notices {
  errors: ErrorNotice[];
  toast: { id: number; text: string } | null;
  reportError: (context: string, error: unknown) => void;
  dismissError: (id: number) => void;
  showToast: (text: string) => void;
}

export function useNotices(): Notices {
  const [errors, setErrors] = useState<ErrorNotice[]>([]);
  const [toast, setToast] = useState<{ id: number; text: string } | null>(null);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismissError = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    setErrors((list) => list.filter((e) => e.id !== id));
  }, []);

  const reportError = useCallback(
    (context: string, error: unknown) => {
      const notice = { id: nextId.current++, context, message: errorMessage(error) };
      console.error(`[studio] ${context}:`, error);
      setErrors((list) => [...list.slice(-(MAX_ERRORS - 1)), notice]);
      timers.current.set(
        notice.id,
        setTimeout(() => dismissError(notice.id), ERROR_MS),
      );
    },
    [dismissError],
  );

  const showToast = useCallback((text: string) => {
    const id = nextId.current++;
    setToast({ id, text });
    const old = timers.current.get(0);
    if (old) clearTimeout(old);
    timers.current.set(
      0,
      setTimeout(() => setToast((t) => (t?.id === id ? null : t)), TOAST_MS),
    );
  }, []);

  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((timer) => clearTimeout(timer));
  }, []);

  return { errors, toast, reportError, dismissError, showToast };
}
