/** `studio find <finder> --dataset NAME`: runs a data-quality finder headless and prints its ranked suspects, one line each. */
import { FINDER_NAMES, type FinderName } from '../../shared/finder-types';
import type { SuspectView } from '../../shared/finder-runs';
import type { Workspace } from '../workspace/workspace';
import { listSuspects } from '../finders/finder-store';
import { runFinder } from '../finders/run-finder';
import { UsageError, parseCommand, progressPrinter, required } from './args';
import type { Out } from './commands';

function datasetIdOf(ws: Workspace, name: string): number {
  const row = ws.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!row) throw new UsageError(`no dataset named "${name}" in ${ws.root} (see: studio list)`);
  return row.id;
}

function positiveInt(text: string | boolean | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} takes a positive integer`);
  return n;
}

/** Finder options from the flags: --options JSON, plus --run (label-errors' eval run) and --radius (duplicates). */
function optionsFrom(finder: FinderName, values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  let options: Record<string, unknown> = {};
  if (typeof values.options === 'string') {
    try {
      options = JSON.parse(values.options) as Record<string, unknown>;
    } catch {
      throw new UsageError('--options takes a JSON object, e.g. \'{"radius":6}\'');
    }
  }
  const run = positiveInt(values.run, 'run');
  if (run !== undefined) {
    if (finder !== 'label-errors') throw new UsageError('--run (the eval run with class probabilities) is for label-errors only');
    options.runId = run;
  }
  if (values.radius !== undefined) {
    if (finder !== 'duplicates') throw new UsageError('--radius is for duplicates only');
    options.radius = Number(values.radius);
  }
  return options;
}

const fmt = (n: number): string => n.toFixed(3);

/** One line per suspect, or per group for finders that group (duplicates): every member's original path on it. */
export function printSuspects(suspects: readonly SuspectView[], top: number, out: Out): void {
  const groups = new Map<number, SuspectView[]>();
  const lines: (SuspectView | SuspectView[])[] = [];
  for (const s of suspects) {
    if (s.group === null) {
      lines.push(s);
      continue;
    }
    const g = groups.get(s.group);
    if (g) g.push(s);
    else {
      const list = [s];
      groups.set(s.group, list);
      lines.push(list);
    }
  }
  lines.slice(0, top).forEach((line, i) => {
    if (Array.isArray(line)) {
      const members = line.map((m) => `${m.originalPath} [${m.className ?? 'unlabelled'}]`).join(' | ');
      out(`${String(i + 1).padStart(4)}  ${members}  ${fmt(line[0].score)}  ${line[0].reason}`);
    } else {
      const hint = line.suggestedLabel ? ` → ${line.suggestedLabel}` : '';
      out(`${String(i + 1).padStart(4)}  ${line.originalPath}  ${fmt(line.score)}  ${line.reason}${hint}`);
    }
  });
}

export async function cmdFind(ws: Workspace, argv: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    run: { type: 'string' },
    top: { type: 'string' },
    radius: { type: 'string' },
    options: { type: 'string' },
  });
  const finder = positionals[0] as FinderName;
  if (!FINDER_NAMES.includes(finder)) throw new UsageError(`find takes one of: ${FINDER_NAMES.join(', ')}`);
  const datasetId = datasetIdOf(ws, required(values.dataset, 'dataset'));
  const top = positiveInt(values.top, 'top') ?? 50;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runFinder(ws, { finder, datasetId, options: optionsFrom(finder, values) }, { onProgress: progressPrinter(err), signal: controller.signal });
    if (result.cancelled) {
      err(`cancelled (finder run #${result.runId})`);
      return 1;
    }
    const suspects = listSuspects(ws.db, result.runId, undefined, 10_000);
    out(`${finder} run #${result.runId}: ${result.suspectCount} suspect${result.suspectCount === 1 ? '' : 's'}`);
    printSuspects(suspects, top, out);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
