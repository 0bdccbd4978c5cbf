/** The few Hugging Face Hub HTTP calls the downloader makes, with the Hub's URL shapes and its errors in plain words. */
import { z } from 'zod';
import { StudioError } from '../errors';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubContext {
  endpoint: string;
  repoId: string;
  revision: string;
  token?: string;
  signal?: AbortSignal;
}

const treeEntry = z.object({
  type: z.enum(['file', 'directory']),
  path: z.string().min(1),
  size: z.number().int().nonnegative().optional().default(0),
  oid: z.string().optional().default(''),
  lfs: z.object({ oid: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }).optional(),
});
export type HubTreeEntry = z.infer<typeof treeEntry>;

/** Endpoint from the argument, else HF_ENDPOINT, else huggingface.co; no trailing slash. */
export function resolveEndpoint(endpoint?: string): string {
  const raw = endpoint ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StudioError('invalid-args', `"${raw}" is not a usable Hub endpoint URL (e.g. https://huggingface.co)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new StudioError('invalid-args', `Hub endpoint must be http(s): ${raw}`);
  return raw.replace(/\/+$/, '');
}

export function treeUrl(ctx: HubContext): string {
  return `${ctx.endpoint}/api/models/${ctx.repoId}/tree/${encodeURIComponent(ctx.revision)}?recursive=true`;
}

export function resolveUrl(ctx: HubContext, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${ctx.endpoint}/${ctx.repoId}/resolve/${encodeURIComponent(ctx.revision)}/${encoded}`;
}

/** Lists every file of the repo at the revision, following the Hub's `Link: <…>; rel="next"` pagination. */
export async function listRepoFiles(ctx: HubContext): Promise<HubTreeEntry[]> {
  const out: HubTreeEntry[] = [];
  let url: string | null = treeUrl(ctx);
  for (let page = 0; url !== null; page++) {
    if (page > 10_000) throw new StudioError('failed', `Hub file listing for ${ctx.repoId} never ended`);
    const res = await hubFetch(ctx, url, {}, 'the file list');
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      throw abortReason(ctx) ?? new StudioError('failed', `Hub file list for ${ctx.repoId} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = z.array(treeEntry).safeParse(body);
    if (!parsed.success) throw new StudioError('failed', `Hub file list for ${ctx.repoId} has an unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    out.push(...parsed.data);
    url = nextLink(res.headers.get('link'), url);
  }
  return out.filter((e) => e.type === 'file');
}

function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return new URL(m[1], base).toString();
  }
  return null;
}

/** fetch with the token, redirects followed, and every failure turned into a StudioError (or the abort reason). */
export async function hubFetch(ctx: HubContext, url: string, headers: Record<string, string>, what: string): Promise<Response> {
  const all: Record<string, string> = { ...headers };
  if (ctx.token) all.authorization = `Bearer ${ctx.token}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: all, redirect: 'follow', signal: ctx.signal });
  } catch (err) {
    throw abortReason(ctx) ?? unreachable(err);
  }
  if (res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  throw statusError(ctx, res, what);
}

/** The abort reason when the download was cancelled, else null. */
export function abortReason(ctx: HubContext): unknown {
  return ctx.signal?.aborted ? ctx.signal.reason : null;
}

export function unreachable(err: unknown): StudioError {
  return new StudioError(
    'failed',
    `Hugging Face Hub unreachable: ${networkCause(err)}; download on another machine and import the folder instead`,
  );
}

/** The most specific message of a fetch failure (undici hides the socket error in `cause`). */
export function networkCause(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function statusError(ctx: HubContext, res: Response, what: string): StudioError {
  const code = res.headers.get('x-error-code') ?? '';
  const hubMessage = res.headers.get('x-error-message');
  const where = `${ctx.repoId}@${ctx.revision}`;
  if (res.status === 401 || res.status === 403) {
    const tokenHint = ctx.token
      ? 'the token was refused: check it has read access and that you accepted the model\'s terms on its Hub page'
      : 'add a Hugging Face access token (huggingface.co/settings/tokens) and accept the model\'s terms on its Hub page';
    return new StudioError('forbidden', `Hugging Face Hub refused access to ${ctx.repoId} (HTTP ${res.status}): the repo is gated or private — ${tokenHint}`);
  }
  if (res.status === 404) {
    if (code === 'RevisionNotFound') return new StudioError('not-found', `Revision "${ctx.revision}" not found in ${ctx.repoId} (HTTP 404): check the branch, tag or commit`);
    if (code === 'EntryNotFound') return new StudioError('not-found', `${what} not found in ${where} (HTTP 404)`);
    if (code === 'RepoNotFound') return new StudioError('not-found', `Model ${ctx.repoId} not found on the Hub (HTTP 404): check the id, or add a token if it is private`);
    return new StudioError('not-found', `${what} not found on the Hub for ${where} (HTTP 404): check the model id and revision`);
  }
  const retry = res.status >= 500 ? '; try again later' : '';
  return new StudioError('failed', `Hugging Face Hub answered HTTP ${res.status} for ${what} of ${where}${hubMessage ? `: ${hubMessage}` : ''}${retry}`);
}
