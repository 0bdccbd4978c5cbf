/** Prompts and their immutable numbered versions in SQLite; every VLM run links to one (saved, or ad-hoc found by exact content). */
import { AD_HOC_PROMPT_NAME, type PromptDetail, type PromptSummary, type PromptVersion, type SavePromptVersionParams, type SavePromptVersionResult } from '../../shared/prompt-types';
import { expandDescriptionsInTemplate } from '../../shared/prompt-descriptions';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

interface VersionRow {
  id: number;
  promptId: number;
  promptName: string;
  adHoc: number;
  number: number;
  systemPrompt: string;
  userPrompt: string;
  descriptionsJson: string;
  expandedUserPrompt: string;
  note: string;
  createdAt: string;
  runCount: number;
}

const VERSION_COLUMNS = `v.id, v.prompt_id AS promptId, p.name AS promptName, p.ad_hoc AS adHoc, v.number, v.system_prompt AS systemPrompt,
  v.user_prompt AS userPrompt, v.label_descriptions_json AS descriptionsJson, v.expanded_user_prompt AS expandedUserPrompt, v.note,
  v.created_at AS createdAt, (SELECT COUNT(*) FROM eval_runs r WHERE r.prompt_version_id = v.id) AS runCount
  FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id`;

function toVersion(row: VersionRow): PromptVersion {
  return {
    id: row.id,
    promptId: row.promptId,
    promptName: row.promptName,
    number: row.number,
    displayName: `${row.promptName} v${row.number}`,
    adHoc: row.adHoc === 1,
    systemPrompt: row.systemPrompt,
    userPrompt: row.userPrompt,
    labelDescriptions: JSON.parse(row.descriptionsJson) as Record<string, string>,
    expandedUserPrompt: row.expandedUserPrompt,
    note: row.note,
    createdAt: row.createdAt,
    runCount: row.runCount,
  };
}

/** One version by id. */
export function getPromptVersion(db: Db, versionId: number): PromptVersion {
  const row = stmt(db, `SELECT ${VERSION_COLUMNS} WHERE v.id = ?`).get(versionId) as VersionRow | undefined;
  if (!row) throw notFound(`prompt version ${versionId}`);
  return toVersion(row);
}

/** Every version of every prompt, saved prompts first (by name), each prompt's newest version first: what pickers (form, matrix) list. */
export function listPromptVersions(db: Db, opts: { includeAdHoc?: boolean } = {}): PromptVersion[] {
  const rows = stmt(db, `SELECT ${VERSION_COLUMNS} WHERE (? OR p.ad_hoc = 0) ORDER BY p.ad_hoc, p.name COLLATE NOCASE, v.number DESC`).all(
    opts.includeAdHoc ?? true ? 1 : 0,
  ) as VersionRow[];
  return rows.map(toVersion);
}

interface PromptRow {
  id: number;
  name: string;
  adHoc: number;
  createdAt: string;
  versionCount: number;
}

const PROMPT_COLUMNS = `p.id, p.name, p.ad_hoc AS adHoc, p.created_at AS createdAt,
  (SELECT COUNT(*) FROM prompt_versions v WHERE v.prompt_id = p.id) AS versionCount FROM prompts p`;

const toPrompt = (row: PromptRow): Omit<PromptSummary, 'latest'> => ({
  id: row.id,
  name: row.name,
  adHoc: row.adHoc === 1,
  createdAt: row.createdAt,
  versionCount: row.versionCount,
});

function versionsOf(db: Db, promptId: number): PromptVersion[] {
  return (stmt(db, `SELECT ${VERSION_COLUMNS} WHERE v.prompt_id = ? ORDER BY v.number DESC`).all(promptId) as VersionRow[]).map(toVersion);
}

/** Saved prompts by name, the ad-hoc one last, each with its newest version. */
export function listPrompts(db: Db): PromptSummary[] {
  const rows = stmt(db, `SELECT ${PROMPT_COLUMNS} ORDER BY p.ad_hoc, p.name COLLATE NOCASE`).all() as PromptRow[];
  return rows.map((row) => ({ ...toPrompt(row), latest: versionsOf(db, row.id)[0] ?? null }));
}

/** A prompt with every version, newest first. */
export function getPrompt(db: Db, promptId: number): PromptDetail {
  const row = stmt(db, `SELECT ${PROMPT_COLUMNS} WHERE p.id = ?`).get(promptId) as PromptRow | undefined;
  if (!row) throw notFound(`prompt ${promptId}`);
  return { prompt: toPrompt(row), versions: versionsOf(db, promptId) };
}

function checkDescriptions(descriptions: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [label, text] of Object.entries(descriptions)) {
    if (label.trim() === '') throw invalid('A label description needs its label');
    if (text.trim() !== '') clean[label.trim()] = text.trim();
  }
  return clean;
}

function insertVersion(db: Db, promptId: number, systemPrompt: string, userPrompt: string, descriptions: Record<string, string>, note: string): number {
  const next = (stmt(db, 'SELECT COALESCE(MAX(number), 0) + 1 FROM prompt_versions WHERE prompt_id = ?').pluck(true).get(promptId) as number);
  return Number(
    stmt(
      db,
      `INSERT INTO prompt_versions (prompt_id, number, system_prompt, user_prompt, label_descriptions_json, expanded_user_prompt, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(promptId, next, systemPrompt, userPrompt, JSON.stringify(descriptions), expandDescriptionsInTemplate(userPrompt, descriptions), note, nowIso()).lastInsertRowid,
  );
}

/** Saves a new version (of `promptId`, or the first of a new prompt called `name`); unchanged content returns the newest version instead. */
export function savePromptVersion(db: Db, params: SavePromptVersionParams): SavePromptVersionResult {
  if (params.userPrompt.trim() === '') throw invalid('The user prompt is empty');
  const descriptions = checkDescriptions(params.labelDescriptions ?? {});
  const note = (params.note ?? '').trim();
  return db
    .transaction((): SavePromptVersionResult => {
      let promptId: number;
      if (params.promptId !== undefined) {
        const detail = getPrompt(db, params.promptId);
        if (detail.prompt.adHoc) throw invalid(`"${AD_HOC_PROMPT_NAME}" holds the texts runs used without saving; save under a prompt name instead`);
        const latest = detail.versions[0];
        if (latest && latest.systemPrompt === params.systemPrompt && latest.userPrompt === params.userPrompt && JSON.stringify(latest.labelDescriptions) === JSON.stringify(descriptions)) {
          return { version: latest, created: false };
        }
        promptId = params.promptId;
      } else {
        const name = (params.name ?? '').trim();
        if (name === '') throw invalid('A new prompt needs a name');
        if (name.length > 100) throw invalid('A prompt name has at most 100 characters');
        if (name.toLowerCase() === AD_HOC_PROMPT_NAME) throw invalid(`"${AD_HOC_PROMPT_NAME}" is reserved for prompts runs used without saving`);
        if (stmt(db, 'SELECT 1 FROM prompts WHERE name = ? COLLATE NOCASE').get(name)) throw conflict(`A prompt named "${name}" already exists; save a new version of it instead`);
        promptId = Number(stmt(db, 'INSERT INTO prompts (name, ad_hoc, created_at) VALUES (?, 0, ?)').run(name, nowIso()).lastInsertRowid);
      }
      const id = insertVersion(db, promptId, params.systemPrompt, params.userPrompt, descriptions, note);
      return { version: getPromptVersion(db, id), created: true };
    })
    .immediate();
}

/**
 * The version whose run text is exactly (system, user): a saved version when one matches (oldest first), else a
 * version of the ad-hoc "unsaved" prompt, created on first use. Called inside the run's insert transaction.
 */
export function findOrCreateVersionForText(db: Db, systemPrompt: string, userPrompt: string): number {
  const found = stmt(
    db,
    `SELECT v.id FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id
     WHERE v.system_prompt = ? AND v.expanded_user_prompt = ? ORDER BY p.ad_hoc, v.id LIMIT 1`,
  )
    .pluck(true)
    .get(systemPrompt, userPrompt) as number | undefined;
  if (found !== undefined) return found;
  let adHocId = stmt(db, 'SELECT id FROM prompts WHERE ad_hoc = 1').pluck(true).get() as number | undefined;
  if (adHocId === undefined) {
    adHocId = Number(stmt(db, 'INSERT INTO prompts (name, ad_hoc, created_at) VALUES (?, 1, ?)').run(AD_HOC_PROMPT_NAME, nowIso()).lastInsertRowid);
  }
  return insertVersion(db, adHocId, systemPrompt, userPrompt, {}, 'used by a run without saving');
}

/** A version named the way people write it: "cats-dogs v3", or "cats-dogs" for its newest version (CLI, YAML, matrix files). */
export function resolvePromptVersion(db: Db, ref: string): PromptVersion {
  const text = ref.trim();
  const m = /^(.*\S)\s+v(\d+)$/i.exec(text);
  const [name, number] = m ? [m[1], Number(m[2])] : [text, null];
  const row = stmt(
    db,
    `SELECT v.id FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id
     WHERE p.name = ? COLLATE NOCASE AND (? IS NULL OR v.number = ?) ORDER BY v.number DESC LIMIT 1`,
  )
    .pluck(true)
    .get(name, number, number) as number | undefined;
  if (row !== undefined) return getPromptVersion(db, row);
  const known = listPrompts(db).map((p) => `${p.name} (v1–v${p.latest?.number ?? 0})`);
  throw new StudioError('not-found', `No prompt version "${text}" (prompts: ${known.join(', ') || 'none'}; write "name vN", or the name for its newest version)`);
}
