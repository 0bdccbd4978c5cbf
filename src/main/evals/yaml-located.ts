/** YAML config reading with positions: syntax errors and schema issues are reported at their line and column. */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { StudioError } from '../errors';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

export interface LocatedYaml {
  value: unknown;
  /** " at line L, column C" for a path into the document ('' when the path has no node). */
  at: (path: readonly PropertyKey[], key?: string) => string;
}

function locator(doc: Document, lines: LineCounter): LocatedYaml['at'] {
  return (path, key) => {
    const node = doc.getIn(path.map((p) => (typeof p === 'symbol' ? String(p) : p)), true) as unknown;
    let offset: number | undefined;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    } else if (node && typeof node === 'object' && 'range' in node) {
      offset = (node as { range?: [number, number, number] }).range?.[0];
    }
    if (offset === undefined) return '';
    const pos = lines.linePos(offset);
    return ` at line ${pos.line}, column ${pos.col}`;
  };
}

/** Parses YAML text that must be a mapping; `what` names the file kind in errors ("Matrix config"). */
export function parseYamlMapping(yamlText: string, what: string, example: string): LocatedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw invalid(`${what} is not valid YAML${at}: ${yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) throw invalid(`${what} is empty`);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${what} must be a YAML mapping of keys (${example})`);
  return { value, at: locator(doc, lines) };
}

/** One message for a schema's issues, each with its key path and position; unknown keys list the allowed ones. */
export function formatLocatedIssues(issues: readonly z.core.$ZodIssue[], at: LocatedYaml['at'], allowed: (path: readonly PropertyKey[]) => readonly string[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `"${k}"`).join(', ');
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${issue.path.length > 0 ? ` in ${where}` : ''}${at(issue.path, issue.keys[0])} (allowed: ${allowed(issue.path).join(', ')})`;
      }
      return `${where}${at(issue.path)}: ${issue.message}`;
    })
    .join('; ');
}
