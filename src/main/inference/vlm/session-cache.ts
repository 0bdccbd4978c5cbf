/** Refcounted ONNX session cache: reuse only on equal content fingerprints (never path or name), hashed only when a live session of the same role could match. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnxFingerprint } from './onnx-fingerprint';

export interface SessionRequest {
  /** The .onnx file; its external data is found next to it, as onnxruntime does. */
  file: string;
  /** Creation options; a session is shared only between identical options. */
  options: ort.InferenceSession.SessionOptions;
  /** What the session is for (e.g. 'vision_encoder'): only sessions of one role are compared, so a lone file is never hashed. */
  role?: string;
}

/** One use of a cached session; `release` is idempotent. */
export interface SessionLease {
  session: ort.InferenceSession;
  /** Identifies the cached session: equal ids = one InferenceSession. */
  id: number;
  release(): Promise<void>;
}

interface Entry {
  id: number;
  group: string;
  file: string;
  /** size + mtime of every file in the session's folder when it was created (external data included). */
  folderStamp: string;
  /** Content fingerprint; undefined = not needed yet; null = its folder changed since creation, so the content it holds is unknown. */
  fingerprint: string | null | undefined;
  refs: number;
  session: Promise<ort.InferenceSession>;
}

const live = new Set<Entry>();
let nextId = 0;
/** InferenceSession.create calls made by this cache in this thread, per role (cumulative; never reset). */
const createdByRole = new Map<string, number>();

function folderStamp(file: string): string {
  const dir = dirname(file);
  return readdirSync(dir)
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

/**
 * The file's fingerprint, or null when it cannot be read as ONNX (or is gone): such a file is never shared, so its
 * load fails alone with onnxruntime's own error instead of failing every request that compares itself with it.
 */
function tryFingerprint(file: string): string | null {
  try {
    return onnxFingerprint(file);
  } catch {
    return null;
  }
}

/** A live entry's fingerprint, computed on first need from its files, if they are still what the session was made from. */
function fingerprintOf(e: Entry): string | null {
  if (e.fingerprint === undefined) {
    let unchanged = false;
    try {
      unchanged = folderStamp(e.file) === e.folderStamp;
    } catch {
      // Its folder is gone: what the session holds can no longer be compared.
    }
    e.fingerprint = unchanged ? tryFingerprint(e.file) : null;
  }
  return e.fingerprint;
}

/** Returns a session for this file's content + options, reusing a live one with the same fingerprint; concurrent requests wait on one creation. */
export async function acquireSession(req: SessionRequest): Promise<SessionLease> {
  const group = `${req.role ?? ''}|${JSON.stringify(req.options)}`;
  const peers = [...live].filter((e) => e.group === group);
  // null (unreadable) never matches: peers whose creation may still be in flight can be broken files too, and one
  // model's bad file must fail its own load only, not the loads of the models beside it.
  const fingerprint = peers.length > 0 ? tryFingerprint(req.file) : undefined;
  let entry = fingerprint == null ? undefined : peers.find((e) => fingerprintOf(e) === fingerprint);
  if (!entry) {
    const stamp = folderStamp(req.file);
    createdByRole.set(req.role ?? '', (createdByRole.get(req.role ?? '') ?? 0) + 1);
    const created: Entry = {
      id: ++nextId,
      group,
      file: req.file,
      folderStamp: stamp,
      fingerprint,
      refs: 0,
      session: ort.InferenceSession.create(req.file, req.options),
    };
    live.add(created);
    // A failed creation must not be found by the next load.
    created.session.catch(() => live.delete(created));
    entry = created;
  }
  const held = entry;
  held.refs += 1;
  let session: ort.InferenceSession;
  try {
    session = await held.session;
  } catch (err) {
    held.refs -= 1;
    throw err;
  }
  let released = false;
  return {
    session,
    id: held.id,
    release: async () => {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      live.delete(held);
      await session.release();
    },
  };
}

/** Live cached sessions, their reference counts and whether their fingerprint was needed yet (tests, bench, diagnostics). */
export function sessionCacheStats(): { id: number; file: string; refs: number; fingerprinted: boolean }[] {
  return [...live].map((e) => ({ id: e.id, file: e.file, refs: e.refs, fingerprinted: typeof e.fingerprint === 'string' }));
}

/** Sessions this thread's cache has created so far, per role ('' = no role): what sharing saved is visible here (tests, bench). */
export function sessionCacheCounters(): { created: Record<string, number> } {
  return { created: Object.fromEntries(createdByRole) };
}
