/** Content fingerprint of an ONNX file (graph structure + every initializer's bytes), so sessions are shared only when the weights really match. */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Tensor = onnxProto.onnx.ITensorProto;

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

interface CachedFingerprint {
  stamps: FileStamp[];
  fingerprint: string;
}

const cache = new Map<string, CachedFingerprint>();
const CHUNK = 16 << 20;
let computations = 0;

function stamp(path: string): FileStamp {
  const st = statSync(path);
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}

const sameStamp = (s: FileStamp): boolean => {
  try {
    const now = stamp(s.path);
    return now.size === s.size && now.mtimeMs === s.mtimeMs;
  } catch {
    return false;
  }
};

/** Streams `length` bytes at `offset` of an external-data file into the hash (the whole rest when length is absent). */
function hashExternal(hash: Hash, file: string, offset: number, length: number | undefined): void {
  const fd = openSync(file, 'r');
  try {
    const end = length === undefined ? statSync(file).size : offset + length;
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - offset)));
    for (let pos = offset; pos < end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n <= 0) throw new Error(`${file} ends before byte ${end}`);
      hash.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Hashes one initializer's identity (name, type, shape) and its bytes, alike whether inline raw_data or external data; returns the external file it read, if any. */
function hashTensor(hash: Hash, t: Tensor, dir: string): string | undefined {
  hash.update(`\0init\0${t.name ?? ''}\0${t.dataType ?? 0}\0${(t.dims ?? []).map(String).join(',')}\0`);
  const ext = t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL ? (t.externalData ?? []) : [];
  if (ext.length > 0) {
    const kv = new Map(ext.map((e) => [e.key ?? '', e.value ?? '']));
    const location = kv.get('location');
    if (!location) throw new Error(`initializer ${t.name ?? '?'} has external data without a location`);
    const file = resolve(dir, location);
    const length = kv.has('length') ? Number(kv.get('length')) : undefined;
    hash.update('data\0');
    hashExternal(hash, file, Number(kv.get('offset') ?? 0), length);
    return file;
  }
  if (t.rawData && t.rawData.length > 0) {
    hash.update('data\0');
    hash.update(t.rawData);
    return undefined;
  }
  // Typed fields (float_data, int64_data, …): their protobuf encoding is their content.
  hash.update('typed\0');
  hash.update(onnx.TensorProto.encode({ ...t, name: '', docString: '' }).finish());
  return undefined;
}

/** Computes the fingerprint and the files it read (the .onnx file first). */
function computeFingerprint(file: string): CachedFingerprint {
  computations += 1;
  const model = onnx.ModelProto.decode(readFileSync(file));
  const graph = model.graph ?? {};
  const initializers = graph.initializer ?? [];
  const hash = createHash('sha256');
  // Graph structure, minus what never reaches the runtime (doc strings, producer, metadata) and minus the weights, hashed apart.
  const structure = onnx.ModelProto.encode({
    ...model,
    docString: '',
    producerName: '',
    producerVersion: '',
    modelVersion: 0,
    metadataProps: [],
    graph: { ...graph, docString: '', initializer: [], node: (graph.node ?? []).map((n) => ({ ...n, docString: '' })) },
  }).finish();
  hash.update('graph\0');
  hash.update(structure);
  const external = new Set<string>();
  for (const t of initializers) {
    const used = hashTensor(hash, t, dirname(file));
    if (used) external.add(used);
  }
  return { stamps: [stamp(file), ...[...external].sort().map(stamp)], fingerprint: hash.digest('hex') };
}

/**
 * sha256 over an ONNX file's graph structure and every initializer's bytes (inline or external data).
 * Computed once per file and cached by path + size + mtime of the .onnx file and of each external-data file it reads.
 */
export function onnxFingerprint(path: string): string {
  const file = resolve(path);
  const hit = cache.get(file);
  if (hit && hit.stamps.every(sameStamp)) return hit.fingerprint;
  const fresh = computeFingerprint(file);
  cache.set(file, fresh);
  return fresh.fingerprint;
}

/** How many times a file was actually read and hashed (tests check that a repeat lookup is a cache hit). */
export function onnxFingerprintComputations(): number {
  return computations;
}

/** Forgets every cached fingerprint (tests). */
export function clearOnnxFingerprintCache(): void {
  cache.clear();
}
