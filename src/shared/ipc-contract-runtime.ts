/** Channel table for execution providers and the optional GPU runtime download (merged into ipc-contract.ts). */
import { z } from 'zod';
import { RUNTIME_NAMES, type DeviceStatus } from './runtime-types';

export const runtimeChannels = {
  'system:devices': {
    /** refresh: look again instead of answering from this session's memoised probes. */
    args: z.object({ refresh: z.boolean().default(false) }),
    result: null as unknown as DeviceStatus[],
  },
  'system:installRuntime': {
    args: z.object({ runtime: z.enum(RUNTIME_NAMES) }),
    result: null as unknown as { jobId: string },
  },
} as const;
