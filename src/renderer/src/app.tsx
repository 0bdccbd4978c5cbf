/** Root component: obtains the StudioApi once and provides it (with error/toast reporters) to the studio. */
import { useMemo } from 'react';
import { getStudioApi } from './api';
import { ErrorBanner, Toast } from './components/notices';
import { useNotices } from './state/notices';
import { StudioContext, type StudioContextValue } from './state/studio-context';
import { StudioScreen } from './studio-screen';

export function App() {
  const notices = useNotices();
  const { reportError, showToast } = notices;
  const api = useMemo(() => getStudioApi(), []);
  const context = useMemo<StudioContextValue>(() => ({ api, reportError, showToast }), [api, reportError, showToast]);
  return (
    <StudioContext.Provider value={context}>
      <StudioScreen />
      <ErrorBanner errors={notices.errors} onDismiss={notices.dismissError} />
      <Toast toast={notices.toast} />
    </StudioContext.Provider>
  );
}
