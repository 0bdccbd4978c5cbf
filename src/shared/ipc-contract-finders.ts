/** Channel table for the data-quality finders: start a run (a `find` job), list runs, read a review queue, review suspects. */
import { z } from 'zod';
import type { FinderName } from './finder-types';
import { REVIEW_STATES, reviewActionSchema, type FinderRun, type SuspectView } from './finder-runs';
import { jobParamSchemas } from './jobs';
import type { EditResult } from './domain';
import { keywordRulesSchema } from './finder-keywords';

const id = z.number().int().positive();

export const finderChannels = {
  /** Starts the named finder as a job; options are checked against that finder's schema. */
  'finders:start': { args: jobParamSchemas.find, result: null as unknown as { jobId: string } },
  /** The dataset's finder runs, newest first, plus which finders can run here. */
  'finders:runs': {
    args: z.object({ datasetId: id }),
    result: null as unknown as { runs: FinderRun[]; available: FinderName[] },
  },
  'finders:suspects': {
    args: z.object({ runId: id, review: z.enum(REVIEW_STATES).optional(), limit: z.number().int().min(1).max(10_000).default(5000) }),
    result: null as unknown as { run: FinderRun; suspects: SuspectView[] },
  },
  'finders:review': {
    args: z.object({ runId: id, action: reviewActionSchema }),
    result: null as unknown as EditResult & { reviewed: number[] },
  },
  /** The overlay finder's keyword rules for this dataset (the shipped defaults until some are saved). */
  'finders:keywordRules': { args: z.object({ datasetId: id }), result: null as unknown as KeywordRules },
  /** Replaces the dataset's keyword rules (each must compile); answers what is now stored. */
  'finders:saveKeywordRules': { args: z.object({ datasetId: id, keywords: keywordRulesSchema }), result: null as unknown as KeywordRules },
} as const;

/** A dataset's keyword rules and whether they are still the shipped defaults. */
export interface KeywordRules {
  keywords: string[];
  isDefault: boolean;
}

