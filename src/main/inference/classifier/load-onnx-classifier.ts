/** Loads a plain ONNX image classifier (model + labels.txt) with onnxruntime-node and validates its shape. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../errors';
import { checkClassifierGraph, type ClassifierGraphShape } from './classifier-graph';

export interface OnnxClassifier {
  modelPath: string;
  labelsPath: string;
  /** Model class names, index-aligned with the output vector. */
  labels: string[];
  inputName: string;
  outputName: string;
  /** Spatial size the model expects (NCHW input, 3 channels). */
  inputHeight: number;
  inputWidth: number;
  /** The input's batch dimension when the model fixes it, else null (any batch size). */
  fixedBatchSize: number | null;
  session: ort.InferenceSession;
}

export interface LoadClassifierOptions {
  /** Overrides the labels.txt next to the model. */
  labelsPath?: string;
  intraOpNumThreads?: number;
}

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/** Accepts a folder (model.onnx, or its only *.onnx, plus labels.txt) or a path to an .onnx file. */
export async function loadOnnxClassifier(path: string, options: LoadClassifierOptions = {}): Promise<OnnxClassifier> {
  const modelPath = await resolveModelPath(path);
  const labelsPath = options.labelsPath ?? join(dirname(modelPath), 'labels.txt');
  const labels = await readLabels(labelsPath);

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
  } catch (err) {
    throw invalid(`Could not load ONNX model ${modelPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return { modelPath, labelsPath, labels, session, ...describeSession(session, labels.length, modelPath) };
  } catch (err) {
    await session.release();
    throw err;
  }
}

function describeSession(session: ort.InferenceSession, labelCount: number, modelPath: string): ClassifierGraphShape {
  const { problems, shape } = checkClassifierGraph(session, labelCount, basename(modelPath));
  if (shape === null) throw invalid(problems[0] ?? `${basename(modelPath)} is not a usable image classifier`);
  return shape;
}

async function resolveModelPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new StudioError('not-found', `Classifier path ${path} not found`);
  if (info.isFile()) {
    if (!path.toLowerCase().endsWith('.onnx')) throw invalid(`${path} is not an .onnx file`);
    return path;
  }
  const models = (await readdir(path)).filter((f) => f.toLowerCase().endsWith('.onnx')).sort();
  if (models.includes('model.onnx')) return join(path, 'model.onnx');
  if (models.length === 1) return join(path, models[0]);
  if (models.length === 0) throw new StudioError('not-found', `No .onnx model in folder ${path}`);
  throw invalid(`Folder ${path} holds several models (${models.join(', ')}) and none is named model.onnx`);
}

/** One label per line; trailing blank lines and CR line endings are tolerated, blank labels elsewhere are not. */
export async function readLabels(labelsPath: string): Promise<string[]> {
  const text = await readFile(labelsPath, 'utf8').catch(() => null);
  if (text === null) throw new StudioError('not-found', `Labels file ${labelsPath} not found (one class name per line)`);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const blank = lines.findIndex((l) => l.trim() === '');
  if (blank >= 0) throw invalid(`${labelsPath}: line ${blank + 1} is blank; every class needs a name`);
  if (lines.length === 0) throw invalid(`${labelsPath} is empty`);
  return lines.map((l) => l.trim());
}
