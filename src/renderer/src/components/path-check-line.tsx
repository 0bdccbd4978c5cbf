/** One line under a path field: what main found there (✓) or what is wrong with it (!). */
import type { PathCheck } from '../../../shared/path-check';

export function PathCheckLine({ check, testId }: { check: PathCheck | null; testId: string }) {
  if (!check) return null;
  return (
    <span className={check.ok ? 'path-check ok' : 'path-check bad'} data-testid={testId} data-ok={check.ok}>
      {check.ok ? '✓ ' : '! '}
      {check.message}
    </span>
  );
}
