/** How far a Modal job is, from one metrics.jsonl line (kept apart so the executor stays small). */
/** A metrics line's progress: step / max_steps when both are given, else unknown (0.05). */
export function progressOf(line: string): number {
  try {
    const m = JSON.parse(line) as { step?: unknown; max_steps?: unknown };
    if (typeof m.step === 'number' && typeof m.max_steps === 'number' && m.max_steps > 0) return Math.min(0.95, 0.05 + 0.9 * (m.step / m.max_steps));
  } catch {
    // Not JSON: still shown as the message.
  }
  return 0.05;
}
