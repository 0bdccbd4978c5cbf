/** React context carrying the StudioApi plus error/toast reporters, so components never import globals. */
import { createContext, useContext } from 'react';
import type { StudioApi } from '../../../shared/studio-api';

export interface StudioContextValue {
  api: StudioApi;
  reportError: (context: string, error: unknown) => void;
  showToast: (text: string) => void;
}

export const StudioContext = createContext<StudioContextValue | null>(null);

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio() used outside <StudioContext.Provider>');
  return value;
}
