/** Parses CSV and JSONL manifests into numbered records; a broken row is a 'bad-manifest-row' issue, a malformed CSV a clear error. */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { ImportIssue } from '../../shared/domain';
import { StudioError } from '../errors';

export interface ManifestRecord {
  /** 1-based line number in the manifest file. */
  line: number;
  fields: Record<string, unknown>;
}

export interface ManifestTable {
  file: string;
  columns: string[];
  records: ManifestRecord[];
  issues: ImportIssue[];
}

export function badRow(file: string, line: number, detail: string): ImportIssue {
  return { path: `${file}:${line}`, reason: 'bad-manifest-row', detail: `line ${line}: ${detail}` };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new StudioError('invalid-args', `Cannot read the manifest ${file}: ${(err as Error).message}`);
  }
}

interface CsvRow {
  record: Record<string, string>;
  info: { lines: number; error?: { code: string; record?: string[] } };
}

export async function readCsvManifest(file: string): Promise<ManifestTable> {
  const text = await readText(file);
  let rows: CsvRow[];
  let columns: string[] = [];
  try {
    rows = parse(text, {
      bom: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as CsvRow[];
  } catch (err) {
    throw new StudioError('invalid-args', `Malformed CSV manifest ${file}: ${(err as Error).message}`);
  }
  if (columns.length === 0) throw new StudioError('invalid-args', `The CSV manifest ${file} is empty (no header row)`);
  const records: ManifestRecord[] = [];
  const issues: ImportIssue[] = [];
  for (const { record, info } of rows) {
    if (info.error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
      const got = info.error.record?.length ?? Object.keys(record).length;
      issues.push(badRow(file, info.lines, `expected ${columns.length} columns, found ${got}`));
      continue;
    }
    records.push({ line: info.lines, fields: record });
  }
  return { file, columns, records, issues };
}

export async function readJsonlManifest(file: string): Promise<ManifestTable> {
  const text = await readText(file);
  const columns: string[] = [];
  const seen = new Set<string>();
  const records: ManifestRecord[] = [];
  const issues: ImportIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      issues.push(badRow(file, line, `invalid JSON (${(err as Error).message})`));
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push(badRow(file, line, 'expected a JSON object'));
      return;
    }
    for (const key of Object.keys(value)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    records.push({ line, fields: value as Record<string, unknown> });
  });
  return { file, columns, records, issues };
}

export function readManifest(file: string): Promise<ManifestTable> {
  return file.toLowerCase().endsWith('.jsonl') ? readJsonlManifest(file) : readCsvManifest(file);
}
