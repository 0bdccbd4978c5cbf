/** The one rule for class labels (API, class service, manifest rows, ImageFolder folder names, eval YAML label_mapping). */
import { z } from 'zod';

export const LABEL_MAX_LENGTH = 200;

/** C0/C1 control characters and DEL: invisible, break CSV/terminal output (NUL truncates C strings). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
/** Bidirectional controls (Trojan Source): make a label display as something it is not. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why this label (compared after trimming) is refused, or null when it is fine. */
export function labelProblem(raw: string): string | null {
  const label = raw.trim();
  if (label === '') return 'the label is empty';
  if (label.length > LABEL_MAX_LENGTH) return `the label is longer than ${LABEL_MAX_LENGTH} characters (${label.length})`;
  const control = CONTROL.exec(label);
  if (control) return `the label contains the control character ${codePoint(control[0])}`;
  const bidi = BIDI.exec(label);
  if (bidi) return `the label contains the bidirectional control ${codePoint(bidi[0])}, which makes text display in a misleading order`;
  return null;
}

/** zod schema for a label: trimmed, then checked with labelProblem. */
export const labelSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = labelProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
