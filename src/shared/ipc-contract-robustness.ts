/** Channel table for robustness splits: derive a snapshot's corrupted test splits, evaluate a run's config on all of them, read the table. */
import { z } from 'zod';
import { jobParamSchemas } from './jobs';
import type { RobustnessReport } from './robustness-types';

const id = z.number().int().positive();

export const robustnessChannels = {
  /** Starts the derivation job (blur, noise, JPEG, downscale × severities); finished versions are kept and skipped on a rerun. */
  'robustness:derive': { args: jobParamSchemas['robustness-derive'], result: null as unknown as { jobId: string } },
  /** The snapshot's derived versions and, per template run, its clean accuracy beside each corrupted one. */
  'robustness:report': { args: z.object({ versionId: id }), result: null as unknown as RobustnessReport },
  /** One run per derived version with the template run's configuration; starts an eval job for each unfinished one. */
  'robustness:evaluate': {
    args: z.object({ templateRunId: id }),
    result: null as unknown as { runIds: number[]; jobIds: string[] },
  },
} as const;
