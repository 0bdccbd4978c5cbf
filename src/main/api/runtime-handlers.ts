/** Handlers for execution-provider status and the GPU runtime install job (which resets the memoised probes when it ends). */
import type { Handlers } from './handler-types';
import type { JobManager } from '../jobs/job-manager';
import { detectDevices, resetDeviceCache } from '../runtime/provider-status';

type RuntimeChannel = Extract<keyof Handlers, `system:${string}`>;

export function createRuntimeHandlers(jobs: JobManager): Pick<Handlers, RuntimeChannel> {
  return {
    'system:devices': ({ refresh }) => {
      if (refresh) resetDeviceCache();
      return detectDevices();
    },
    'system:installRuntime': ({ runtime }) => {
      const jobId = jobs.start('runtime-install', { runtime });
      void jobs.wait(jobId).then(() => resetDeviceCache());
      return { jobId };
    },
  };
}
