/** The rules an ONNX image-classifier graph must meet, once: the loader throws the first problem, inspection lists them all. */
import type * as ort from 'onnxruntime-node';

export interface ClassifierGraphShape {
  inputName: string;
  outputName: string;
  /** Spatial size the model expects (NCHW input, 3 channels). */
  inputHeight: number;
  inputWidth: number;
  /** The input's batch dimension when the model fixes it, else null (any batch size). */
  fixedBatchSize: number | null;
}

export interface ClassifierGraphCheck {
  problems: string[];
  /** Null when the graph breaks a rule. */
  shape: ClassifierGraphShape | null;
}

type SessionMetadata = Pick<ort.InferenceSession, 'inputMetadata' | 'outputMetadata'>;

/** Checks one-input NCHW float32 [N,3,H,W] → [N, classes]; with labelCount, that labels.txt has one label per output. */
export function checkClassifierGraph(session: SessionMetadata, labelCount: number | null, name: string): ClassifierGraphCheck {
  const problems: string[] = [];
  let input: { name: string; height: number; width: number; batch: number | null } | null = null;
  if (session.inputMetadata.length !== 1) {
    problems.push(`${name} has ${session.inputMetadata.length} inputs; an image classifier needs exactly one`);
  } else {
    const meta = session.inputMetadata[0];
    if (!meta.isTensor || meta.type !== 'float32') problems.push(`${name}: input "${meta.name}" is not a float32 tensor`);
    else if (meta.shape.length !== 4 || meta.shape[1] !== 3) {
      problems.push(`${name}: input "${meta.name}" has shape [${meta.shape.join(', ')}]; expected NCHW [N, 3, H, W]`);
    } else {
      const [batch, , height, width] = meta.shape;
      if (typeof height !== 'number' || typeof width !== 'number') {
        problems.push(`${name}: input "${meta.name}" has a symbolic spatial size [${meta.shape.join(', ')}]; a fixed H×W is required`);
      } else input = { name: meta.name, height, width, batch: typeof batch === 'number' && batch > 0 ? batch : null };
    }
  }
  let outputName: string | null = null;
  const output = session.outputMetadata[0];
  if (output === undefined || !output.isTensor) problems.push(`${name}: first output is missing or not a tensor`);
  else {
    const classDim = output.shape[output.shape.length - 1];
    if (output.shape.length !== 2 || typeof classDim !== 'number') {
      problems.push(`${name}: output "${output.name}" has shape [${output.shape.join(', ')}]; expected [N, classes]`);
    } else if (labelCount !== null && classDim !== labelCount) {
      problems.push(`labels.txt has ${labelCount} labels but ${name} outputs ${classDim} classes; they must match one to one (one label per output, in order)`);
    } else outputName = output.name;
  }
  const shape =
    problems.length === 0 && input !== null && outputName !== null
      ? { inputName: input.name, outputName, inputHeight: input.height, inputWidth: input.width, fixedBatchSize: input.batch }
      : null;
  return { problems, shape };
}
