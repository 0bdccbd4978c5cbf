/** The overlay finder's keyword rules as a person types them: one a line, each checked to compile as the finder will (case-insensitive). */
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
      try {
        new RegExp(rule, 'i');
        keywords.push(rule);
      } catch (err) {
        problems.push(`line ${i + 1}: "${rule}" is not a valid pattern (${err instanceof Error ? err.message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, '') : String(err)})`);
      }
    }
  });
  if (keywords.length > 200) problems.push('at most 200 rules');
  return { keywords, problems };
}
