/** Root component: the StudioApi, the one query cache fed by main's change events, the one key system, the selected dataset. */
import { useMemo, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { getStudioApi } from './api';
import { ErrorBanner, Toast } from './components/notices';
import { createStudioQueryClient } from './data/query-client';
import { useStudioEvents } from './data/studio-events';
import { KeyboardProvider } from './keys/key-layers';
import { DraftsProvider } from './state/drafts';
import { useNotices } from './state/notices';
import { SelectedDatasetProvider } from './state/selected-dataset';
import { StudioContext, type StudioContextValue } from './state/studio-context';
import { StudioScreen } from './studio-screen';

export function App() {
  const notices = useNotices();
  const { reportError, showToast } = notices;
  const api = useMemo(() => getStudioApi(), []);
  const [queryClient] = useState(() => createStudioQueryClient(reportError));
  useStudioEvents(api, queryClient, reportError);
  const context = useMemo<StudioContextValue>(() => ({ api, reportError, showToast }), [api, reportError, showToast]);
  return (
    <QueryClientProvider client={queryClient}>
      <StudioContext.Provider value={context}>
        <KeyboardProvider>
          <SelectedDatasetProvider>
            <DraftsProvider>
              <StudioScreen />
            </DraftsProvider>
          </SelectedDatasetProvider>
        </KeyboardProvider>
        <ErrorBanner errors={notices.errors} onDismiss={notices.dismissError} />
        <Toast toast={notices.toast} />
      </StudioContext.Provider>
    </QueryClientProvider>
  );
}
