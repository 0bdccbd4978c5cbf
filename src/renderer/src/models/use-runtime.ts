/** Provider statuses (the shared devices query) plus the newest CUDA install job from the jobs cache, for the GPU runtime panel. */
import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { JobInfo } from '../../../shared/jobs';
import type { DeviceStatus, RuntimeName } from '../../../shared/runtime-types';
import { queryKeys } from '../data/query-keys';
import { useJobList } from '../state/use-jobs';
import { useStudio } from '../state/studio-context';
import { useModels } from './use-models';

export interface RuntimeState {
  devices: DeviceStatus[] | null;
  /** The newest runtime-install job this session has seen (progress, failure), if any. */
  install: JobInfo | null;
  checking: boolean;
  startInstall: (runtime: RuntimeName) => Promise<void>;
  checkAgain: () => Promise<void>;
}

export function useRuntime(): RuntimeState {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const { devices } = useModels();
  const jobs = useJobList();
  const [checking, setChecking] = useState(false);
  const install = jobs.filter((j) => j.kind === 'runtime-install').at(-1) ?? null;

  const startInstall = useCallback(
    async (runtime: RuntimeName) => {
      try {
        const { jobId } = await api.system.installRuntime({ runtime });
        client.setQueryData<JobInfo[]>(queryKeys.jobs, (list = []) =>
          list.some((j) => j.id === jobId) ? list : [...list, { id: jobId, kind: 'runtime-install', status: 'queued', value: 0, message: 'Starting…', createdAt: new Date().toISOString(), finishedAt: null, error: null, result: null }],
        );
      } catch (error) {
        reportError('Installing the CUDA runtime', error);
      }
    },
    [api, client, reportError],
  );

  const checkAgain = useCallback(async () => {
    setChecking(true);
    try {
      client.setQueryData(queryKeys.devices, await api.system.devices({ refresh: true }));
    } catch (error) {
      reportError('Detecting execution providers', error);
    } finally {
      setChecking(false);
    }
  }, [api, client, reportError]);

  return { devices: devices.length > 0 ? devices : null, install, checking, startInstall, checkAgain };
}
