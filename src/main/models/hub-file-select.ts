/** Picks from a Hub repo's file list only what one dtype of a VLM needs: the small JSON/template files and 3 sessions. */
import type { ModelDtype } from '../../shared/model-types';
import { StudioError } from '../errors';
import type { HubTreeEntry } from './hub-api';
import { VLM_SESSIONS, completeDtypes, sessionFileName } from './onnx-layout';

/** Top-level files worth taking: configs, tokenizer, processor, generation, chat templates, and the model card. */
function isCompanionFile(path: string): boolean {
  if (path.includes('/')) return false;
  if (path === 'README.md') return true;
  if (path.endsWith('.index.json')) return false;
  return path.endsWith('.json') || path.endsWith('.jinja');
}

/** The files to download for `dtype`; throws a clear error when the repo has no such dtype or isn't a VLM export. */
export function selectHubFiles(entries: HubTreeEntry[], dtype: ModelDtype, repoId: string): HubTreeEntry[] {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  if (!byPath.has('config.json')) {
    throw new StudioError('invalid-args', `${repoId} has no config.json at its top level: it is not a transformers.js model repo`);
  }
  const onnxNames = new Set(entries.filter((e) => /^onnx\/[^/]+$/.test(e.path)).map((e) => e.path.slice(5)));
  const available = completeDtypes(onnxNames);
  if (!available.includes(dtype)) {
    const missing = VLM_SESSIONS.map((s) => `onnx/${sessionFileName(s, dtype)}`).filter((p) => !byPath.has(p));
    const offer = available.length > 0 ? `available: ${available.join(', ')}` : 'no dtype has all three sessions (embed_tokens, vision_encoder, decoder_model_merged)';
    throw new StudioError('not-found', `${repoId} has no ${dtype} ONNX export (${missing.join(', ')} missing); ${offer}`);
  }
  const picked = entries.filter((e) => isCompanionFile(e.path));
  for (const session of VLM_SESSIONS) {
    const file = sessionFileName(session, dtype);
    const external = new RegExp(`^onnx/${escapeRegExp(file)}_data(?:_\\d+)?$`);
    picked.push(...entries.filter((e) => e.path === `onnx/${file}` || external.test(e.path)));
  }
  return picked;
}

/** Dtypes the repo offers complete, for a picker before downloading. */
export function hubDtypes(entries: HubTreeEntry[]): ModelDtype[] {
  const onnxNames = new Set(entries.filter((e) => /^onnx\/[^/]+$/.test(e.path)).map((e) => e.path.slice(5)));
  return completeDtypes(onnxNames);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
