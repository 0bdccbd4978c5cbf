/** The headless CLI's commands over the same core services the studio uses (for scripts and CI). */
import { basename, resolve } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { getOrCreateDataset } from '../datasets/dataset-lookup';
import { listDatasets } from '../datasets/dataset-service';
import { assignSplits } from '../splits/stratified-split';
import { createVersion, listVersions } from '../versions/snapshot';
import { runImport } from '../imports/import-runner';
import { runExport } from '../exports/export-runner';
import type { ExportFormat, ImportFormat, ImportReport } from '../../shared/domain';
import { UsageError, parseCommand, parseRatios, required, progressPrinter } from './args';

export type Out = (line: string) => void;

function datasetId(ws: Workspace, name: string): number {
  const row = ws.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!row) throw new UsageError(`no dataset named "${name}" in ${ws.root} (see: studio list)`);
  return row.id;
}

export function printImportReport(report: ImportReport, out: Out): void {
  out(`Imported ${report.imported} of ${report.scanned} files into dataset #${report.datasetId} (${report.format})`);
  if (report.alreadyPresent) out(`  ${report.alreadyPresent} already in the dataset`);
  out(`  classes: ${report.classes.join(', ')}`);
  if (report.cancelled) out('  CANCELLED: nothing was added');
  if (report.skippedSideFiles.length > 0) {
    out(`  ${report.skippedSideFiles.length} side file(s) skipped: ${report.skippedSideFiles.map((p) => basename(p)).join(', ')}`);
  }
  if (report.issues.length === 0) out('  no issues');
  else {
    out(`  ${report.issues.length} file(s) reported:`);
    for (const issue of report.issues) out(`    ${issue.reason.padEnd(16)} ${issue.path} — ${issue.detail}`);
  }
}

export async function cmdImport(ws: Workspace, argv: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseCommand(argv, { format: { type: 'string', short: 'f' } });
  const source = positionals[0];
  if (!source) throw new UsageError('import needs a folder or manifest path');
  const format = (values.format ?? 'auto') as ImportFormat;
  const datasetName = typeof values.dataset === 'string' ? values.dataset : basename(resolve(source));
  const report = await runImport(ws, { source: resolve(source), format, datasetName }, { onProgress: progressPrinter(err) });
  printImportReport(report, out);
  return report.cancelled ? 1 : 0;
}

export function cmdList(ws: Workspace, _argv: string[], out: Out): number {
  const datasets = listDatasets(ws.db);
  if (datasets.length === 0) out(`No datasets in ${ws.root}`);
  for (const d of datasets) {
    out(`${d.name}  (#${d.id}) — ${d.activeCount} active, ${d.droppedCount} dropped, ${d.versionCount} version(s)`);
    for (const v of listVersions(ws.db, d.id)) {
      const splits = Object.entries(v.splitCounts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ');
      out(`    ${v.name}  ${v.sampleCount} samples (${splits})  ${v.createdAt}`);
    }
  }
  return 0;
}

export function cmdSplit(ws: Workspace, argv: string[], out: Out): number {
  const { values } = parseCommand(argv, { ratios: { type: 'string' }, seed: { type: 'string' } });
  const id = datasetId(ws, required(values.dataset, 'dataset'));
  const seed = Number(values.seed ?? 23);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer');
  const result = assignSplits(ws.db, { datasetId: id, seed, ratios: parseRatios(String(values.ratios ?? '0.8,0.1,0.1')) });
  for (const [label, counts] of Object.entries(result.counts)) {
    out(`${label.padEnd(20)} train ${counts.train}  val ${counts.val}  test ${counts.test}`);
  }
  return 0;
}

export function cmdSnapshot(ws: Workspace, argv: string[], out: Out): number {
  const { values } = parseCommand(argv, { name: { type: 'string', short: 'n' }, note: { type: 'string' } });
  const id = datasetId(ws, required(values.dataset, 'dataset'));
  const version = createVersion(ws.db, id, required(values.name, 'name'), String(values.note ?? ''));
  out(`Snapshot "${version.name}" (#${version.id}): ${version.sampleCount} samples, classes ${version.classes.join(', ')}`);
  return 0;
}

export async function cmdExport(ws: Workspace, argv: string[], out: Out, err: Out): Promise<number> {
  const { values } = parseCommand(argv, {
    version: { type: 'string' },
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    'system-prompt': { type: 'string' },
    'user-prompt': { type: 'string' },
  });
  const id = datasetId(ws, required(values.dataset, 'dataset'));
  const versionName = required(values.version, 'version');
  const version = listVersions(ws.db, id).find((v) => v.name === versionName);
  if (!version) throw new UsageError(`dataset has no version "${versionName}"`);
  const format = String(values.format ?? 'jsonl-chat') as ExportFormat;
  if (!['imagefolder', 'csv', 'jsonl-chat'].includes(format)) throw new UsageError('--format is imagefolder, csv or jsonl-chat');
  const result = await runExport(
    ws,
    {
      versionId: version.id,
      format,
      destination: resolve(required(values.out, 'out')),
      systemPrompt: values['system-prompt'] as string | undefined,
      userPrompt: values['user-prompt'] as string | undefined,
    },
    progressPrinter(err),
  );
  out(`Exported ${result.sampleCount} samples to ${result.destination}`);
  for (const f of result.files) out(`  ${f}`);
  return 0;
}

export { getOrCreateDataset };
