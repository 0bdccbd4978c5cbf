/** Writes .npy files (format 1.0, little-endian, C order) so the Python trainer reads the studio processor's tensors bit for bit. */
import { writeFileSync } from 'node:fs';

export type NpyDtype = 'float32' | 'int64';

/** Encodes a typed array (float32 data or any integer data, stored as int64) with its shape. */
export function encodeNpy(data: ArrayLike<number | bigint>, dims: readonly number[], dtype: NpyDtype): Buffer {
  const descr = dtype === 'float32' ? '<f4' : '<i8';
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const n = data.length;
  const body = Buffer.alloc(n * (dtype === 'float32' ? 4 : 8));
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (dtype === 'float32') body.writeFloatLE(Number(v), i * 4);
    else body.writeBigInt64LE(typeof v === 'bigint' ? v : BigInt(v), i * 8);
  }
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

export function writeNpy(path: string, data: ArrayLike<number | bigint>, dims: readonly number[], dtype: NpyDtype): void {
  writeFileSync(path, encodeNpy(data, dims, dtype));
}
