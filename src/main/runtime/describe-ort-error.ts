/** Turns ONNX Runtime's provider errors (source paths, C++ lambdas, loader noise) into one plain line plus the full text. */

export interface DescribedError {
  /** One sentence a user can act on. */
  summary: string;
  /** The runtime's message as it came, for the "details" toggle. */
  details: string;
}

const RULES: { test: RegExp; summary: (m: RegExpMatchArray) => string }[] = [
  {
    test: /(lib(?:cublas|cublasLt|cudart|cudnn|cufft|curand|nvinfer)[\w.-]*\.so[\w.]*): cannot open shared object file/,
    summary: (m) => `the CUDA 12 / cuDNN 9 libraries are not installed (${m[1]} not found)`,
  },
  { test: /(libcuda\.so[\w.]*): cannot open shared object file/, summary: () => 'no NVIDIA driver found (libcuda is missing)' },
  {
    test: /(libonnxruntime_providers_\w+\.so|onnxruntime_providers_\w+\.dll)[^\n]*(cannot open shared object file|No such file|could not be found)/,
    summary: () => 'the CUDA runtime for ONNX Runtime is not downloaded',
  },
  { test: /Failed to load shared library/, summary: () => 'the provider library could not be loaded (runtime not downloaded, or CUDA libraries missing)' },
  { test: /CUDA driver version is insufficient|cudaErrorInsufficientDriver/, summary: () => 'the NVIDIA driver is too old for CUDA 12: update the driver' },
  { test: /no CUDA-capable device|cudaErrorNoDevice/, summary: () => 'no CUDA-capable GPU found' },
  { test: /out of memory|cudaErrorMemoryAllocation/i, summary: () => 'the GPU ran out of memory' },
  { test: /Failed to get a WebGPU adapter|No supported adapters/, summary: () => 'no WebGPU adapter (no GPU, or no Vulkan/Metal/D3D12 driver)' },
  { test: /backend not found/, summary: () => 'this ONNX Runtime build has no such provider' },
];

/** Maps a provider error to a plain summary; unknown errors keep their first meaningful line, minus source paths. */
export function describeOrtError(err: unknown): DescribedError {
  const details = (err instanceof Error ? err.message : String(err)).trim();
  for (const rule of RULES) {
    const m = details.match(rule.test);
    if (m) return { summary: rule.summary(m), details };
  }
  const line = details.split('\n').find((l) => l.trim().length > 0) ?? 'unknown error';
  const cleaned = line
    .replace(/\/?onnxruntime_src\/\S+:\d+\s*/g, '')
    .replace(/\S+::\S+\([^)]*\)(::<lambda\(\)>)?\s*/g, '')
    .replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/g, '')
    .trim();
  return { summary: cleaned.length > 160 ? `${cleaned.slice(0, 157)}…` : cleaned || 'unknown error', details };
}
