/** Checks a plain ONNX image-classifier folder: one graph at the top plus labels.txt with one class name a line. */
import { join } from 'node:path';
import type { ClassifierInfo, ModelFileInfo } from '../../shared/model-types';
import * as ort from 'onnxruntime-node';
import { checkClassifierGraph } from '../inference/classifier/classifier-graph';
import { readTextFile } from './model-folder-files';
import { referencedExternalData } from './onnx-external-refs';

export interface ClassifierFindings {
  supported: boolean;
  supportReason: string;
  problems: string[];
  classifier: ClassifierInfo;
}

/** Top-level .onnx files of a folder, the sign of a classifier folder when there is no config.json. */
export function topLevelOnnx(files: ModelFileInfo[]): ModelFileInfo[] {
  return files.filter((f) => !f.path.includes('/') && f.path.endsWith('.onnx'));
}

export async function inspectClassifier(dir: string, files: ModelFileInfo[]): Promise<ClassifierFindings> {
  const problems: string[] = [];
  const graphs = topLevelOnnx(files);
  const onnxFile = graphs[0]?.path ?? '';
  if (graphs.length > 1) {
    problems.push(`several .onnx files at the top level (${graphs.map((g) => g.path).join(', ')}): keep exactly one classifier graph`);
  }
  const present = new Set(files.map((f) => f.path));
  const refs = await referencedExternalData(join(dir, onnxFile)).catch(() => []);
  for (const ref of refs) {
    if (!present.has(ref)) problems.push(`${ref} is missing: ${onnxFile} keeps its weights there`);
  }
  const labels = await readLabels(dir);
  problems.push(...labels.problems);
  // Load the graph as the classifier loader does, so a broken model is refused now rather than at eval time.
  if (graphs.length === 1 && problems.length === 0) problems.push(...(await graphProblems(join(dir, onnxFile), onnxFile, labels.count)));
  const supported = problems.length === 0;
  const supportReason = supported ? `ONNX classifier ${onnxFile} with ${labels.count} labels` : problems[0];
  return { supported, supportReason, problems, classifier: { onnxFile, labelCount: labels.count } };
}

/** Problems found by loading the graph with onnxruntime-node and checking it against the labels (empty when sound). */
async function graphProblems(path: string, name: string, labelCount: number): Promise<string[]> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
    return [`${name} can't be loaded as an ONNX graph (${why}): the file is not an ONNX model, or it is damaged or truncated`];
  }
  try {
    return checkClassifierGraph(session, labelCount > 0 ? labelCount : null, name).problems;
  } finally {
    await session.release();
  }
}

async function readLabels(dir: string): Promise<{ count: number; problems: string[] }> {
  const read = await readTextFile(dir, 'labels.txt');
  if (!read.ok && read.missing) return { count: 0, problems: ["labels.txt is missing: the classifier's class names are unknown (one name per line)"] };
  if (!read.ok) return { count: 0, problems: [read.problem] };
  const lines = read.text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { count: 0, problems: ['labels.txt has no labels: write one class name per line'] };
  const empty = lines.flatMap((l, i) => (l === '' ? [i + 1] : []));
  const problems = empty.length > 0 ? [`labels.txt has empty lines (${empty.slice(0, 5).join(', ')}): every line must name a class, in output order`] : [];
  return { count: lines.length, problems };
}
