/** The privileged studio-media:// scheme: studio-media://thumb/<id> and studio-media://image/<id>, served from the workspace store only. */
import { protocol } from 'electron';
import { toErrorPayload } from '../errors';
import { isMediaKind, parseSampleId, readMediaFile, statusForError } from '../host/media-files';
import { MEDIA_SCHEME } from '../security/csp';
import type { Workspace } from '../workspace/workspace';

/** Must run before app 'ready'. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Answers one studio-media request; exported for tests. */
export async function mediaResponse(ws: Workspace, requestUrl: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return jsonResponse(400, { code: 'invalid-args', message: 'bad media URL' });
  }
  const kind = url.hostname;
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const sampleId = parts.length === 1 || parts.length === 2 ? parseSampleId(parts[0]) : null;
  const versionId = parts.length === 2 ? parseSampleId(parts[1]) : null;
  if (url.protocol !== `${MEDIA_SCHEME}:` || !isMediaKind(kind) || sampleId === null || (parts.length === 2 && versionId === null)) {
    return jsonResponse(400, { code: 'invalid-args', message: 'media URLs are studio-media://thumb/<id>[/<versionId>] or studio-media://image/<id>[/<versionId>]' });
  }
  try {
    const file = await readMediaFile(ws, kind, sampleId, versionId);
    return new Response(new Uint8Array(file.bytes), {
      status: 200,
      headers: {
        'Content-Type': file.contentType,
        'Content-Length': String(file.bytes.length),
        'Cache-Control': 'private, max-age=3600',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (err) {
    const payload = toErrorPayload(err);
    return jsonResponse(statusForError(payload.code), payload);
  }
}

/** Call after 'ready': serves the scheme for the given workspace; returns the unregister function. */
export function handleMediaProtocol(ws: Workspace): () => void {
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(ws, request.url));
  return () => protocol.unhandle(MEDIA_SCHEME);
}
