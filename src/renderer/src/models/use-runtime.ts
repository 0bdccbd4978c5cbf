/** Provider statuses for the GPU runtime panel plus the CUDA install job's live state (progress, failure), refreshed when it ends. */
import { useCallback, useEffect, useState } from 'react';
import type { DeviceStatus, RuntimeName } from '../../../shared/runtime-types';
import { useStudio } from '../state/studio-context';

export interface RuntimeInstallState {
  jobId: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  value: number;
  message: string;
  error: string | null;
}

export interface RuntimeState {
  devices: DeviceStatus[] | null;
  install: RuntimeInstallState | null;
  checking: boolean;
  startInstall: (runtime: RuntimeName) => Promise<void>;
  checkAgain: () => void;
}

export function useRuntime(): RuntimeState {
  const { api, reportError } = useStudio();
  const [devices, setDevices] = useState<DeviceStatus[] | null>(null);
  const [install, setInstall] = useState<RuntimeInstallState | null>(null);
  const [checking, setChecking] = useState(false);

  const load = useCallback(
    (refresh: boolean) => {
      setChecking(true);
      api.system
        .devices({ refresh })
        .then(setDevices)
        .catch((error: unknown) => reportError('Detecting execution providers', error))
        .finally(() => setChecking(false));
    },
    [api, reportError],
  );

  useEffect(() => load(false), [load]);

  useEffect(() => {
    const offProgress = api.on('jobs:progress', (p) => {
      if (p.kind !== 'runtime-install') return;
      setInstall((s) => ({ jobId: p.jobId, status: 'running', value: p.value, message: p.message, error: s?.jobId === p.jobId ? s.error : null }));
    });
    const offChanged = api.on('jobs:changed', (job) => {
      if (job.kind !== 'runtime-install') return;
      if (job.status === 'queued' || job.status === 'running') {
        setInstall({ jobId: job.id, status: 'running', value: job.value, message: job.message || 'Starting…', error: null });
        return;
      }
      setInstall({ jobId: job.id, status: job.status, value: job.value, message: job.message, error: job.error });
      load(true);
    });
    return () => {
      offProgress();
      offChanged();
    };
  }, [api, load]);

  const startInstall = useCallback(
    async (runtime: RuntimeName) => {
      try {
        const { jobId } = await api.system.installRuntime({ runtime });
        setInstall({ jobId, status: 'running', value: 0, message: 'Starting…', error: null });
      } catch (error) {
        reportError('Installing the CUDA runtime', error);
      }
    },
    [api, reportError],
  );

  return { devices, install, checking, startInstall, checkAgain: () => load(true) };
}
