/** Refcounted ONNX session cache keyed by content fingerprint + device + options, so fine-tunes reuse the sessions they did not change. */
import * as ort from 'onnxruntime-node';
import { onnxFingerprint } from './onnx-fingerprint';

export interface SessionRequest {
  /** The .onnx file; its external data is found next to it, as onnxruntime does. */
  file: string;
  /** Creation options; part of the key, so a session is shared only between identical configurations. */
  options: ort.InferenceSession.SessionOptions;
}

/** One use of a cached session; `release` is idempotent. */
export interface SessionLease {
  session: ort.InferenceSession;
  key: string;
  release(): Promise<void>;
}

interface Entry {
  refs: number;
  session: Promise<ort.InferenceSession>;
}

const entries = new Map<string, Entry>();

/** The key two requests must share to share a session: content fingerprint, never the path. */
export function sessionKey(req: SessionRequest): string {
  return `${onnxFingerprint(req.file)}|${JSON.stringify(req.options)}`;
}

/** Returns the session for this content + options, creating it on first use; concurrent requests wait on one creation. */
export async function acquireSession(req: SessionRequest): Promise<SessionLease> {
  const key = sessionKey(req);
  let entry = entries.get(key);
  if (!entry) {
    const created: Entry = { refs: 0, session: ort.InferenceSession.create(req.file, req.options) };
    entry = created;
    entries.set(key, created);
    // A failed creation must not poison the key for the next load.
    created.session.catch(() => {
      if (entries.get(key) === created) entries.delete(key);
    });
  }
  entry.refs += 1;
  const held = entry;
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
    key,
    release: async () => {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      if (entries.get(key) === held) entries.delete(key);
      await session.release();
    },
  };
}

/** Live cached sessions and their reference counts (tests, bench, diagnostics). */
export function sessionCacheStats(): { key: string; refs: number }[] {
  return [...entries].map(([key, e]) => ({ key, refs: e.refs }));
}
