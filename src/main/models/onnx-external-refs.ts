/** Finds the external-data files an ONNX graph points at, so a folder missing `.onnx_data` is caught before loading. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * Graphs that keep their weights outside are small (the weights are what's moved out); a graph larger than this
 * holds its weights inline and is not scanned.
 */
export const MAX_SCANNED_GRAPH_BYTES = 128 * 1024 * 1024;

const REF = /[A-Za-z0-9_.-]+\.onnx_data(?:_\d+)?/g;
const OVERLAP = 512;

/**
 * External data locations named inside an ONNX file (TensorProto.external_data "location" strings ending in
 * .onnx_data or .onnx_data_N), deduplicated and sorted. Empty for graphs over MAX_SCANNED_GRAPH_BYTES.
 */
export async function referencedExternalData(onnxPath: string): Promise<string[]> {
  const { size } = await stat(onnxPath);
  if (size > MAX_SCANNED_GRAPH_BYTES) return [];
  const found = new Set<string>();
  let carry = '';
  const collect = (text: string, final: boolean): void => {
    for (const m of text.matchAll(REF)) {
      // A match at the very start of a carried tail may be cut; one touching the end may go on in the next chunk.
      // Either way the whole name is matched in the neighbouring scan.
      if (carry !== '' && m.index === 0) continue;
      if (!final && m.index + m[0].length >= text.length) continue;
      found.add(m[0]);
    }
  };
  for await (const chunk of createReadStream(onnxPath, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    const text = carry + (chunk as string);
    collect(text, false);
    carry = text.slice(-OVERLAP);
  }
  collect(carry, true);
  return [...found].sort();
}
