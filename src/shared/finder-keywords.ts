/** The overlay finder's keyword rules as a person types them: one a line, each checked to compile as the finder will (case-insensitive). */
import { z } from 'zod';
import { finderOptionSchemas } from './finder-types';

/** The finder's own defaults (from its option schema). */
export const DEFAULT_KEYWORDS: readonly string[] = finderOptionSchemas.overlays.parse({}).keywords;

export interface KeywordCheck {
  keywords: string[];
  /** One plain-words problem per bad line ("line 3: …"); empty when every rule compiles. */
  problems: string[];
}

/** Splits the text into rules (one a line, blanks ignored) and checks each compiles as a case-insensitive regex. */
export function checkKeywords(text: string): KeywordCheck {
  const keywords: string[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const rule = line.trim();
    if (!rule) return;
    if (rule.length > 200) problems.push(`line ${i + 1}: longer than 200 characters`);
    else {
      const problem = keywordRuleProblem(rule);
      if (problem) problems.push(`line ${i + 1}: ${problem}`);
      else keywords.push(rule);
    }
  });
  if (keywords.length > 200) problems.push('at most 200 rules');
  return { keywords, problems };
}

/** Why a rule does not compile as the finder will compile it (case-insensitive), or null when it does. */
export function keywordRuleProblem(rule: string): string | null {
  try {
    new RegExp(rule, 'i');
    return null;
  } catch (err) {
    return `"${rule}" is not a valid pattern (${err instanceof Error ? err.message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, '') : String(err)})`;
  }
}

/** The rules as stored per dataset and sent over IPC: each a non-blank pattern that compiles, at most 200 of 200 characters. */
export const keywordRulesSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'A keyword rule is blank')
      .max(200, 'A keyword rule is longer than 200 characters')
      .superRefine((rule, ctx) => {
        const problem = keywordRuleProblem(rule);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
  .max(200, 'At most 200 keyword rules');
