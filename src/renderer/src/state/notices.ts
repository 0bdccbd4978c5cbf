/** Error banner entries and the transient toast: the only two ways the studio talks back to the user. */
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors';

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
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reportError = useCallback((context: string, error: unknown) => {
    const notice = { id: nextId.current++, context, message: errorMessage(error) };
    console.error(`[studio] ${context}:`, error);
    setErrors((list) => [...list.slice(-4), notice]);
  }, []);

  const dismissError = useCallback((id: number) => {
    setErrors((list) => list.filter((e) => e.id !== id));
  }, []);

  const showToast = useCallback((text: string) => {
    if (timer.current) clearTimeout(timer.current);
    const id = nextId.current++;
    setToast({ id, text });
    timer.current = setTimeout(() => setToast((t) => (t?.id === id ? null : t)), 3500);
  }, []);

  return { errors, toast, reportError, dismissError, showToast };
}
