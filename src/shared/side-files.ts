/** Files that sit beside the class folders of an ImageFolder (docs, label lists, OS litter): skipped quietly at the root, never reported as issues. */

/** Extensions of documentation, label lists, metadata and scripts (never image formats). */
export const SIDE_FILE_EXTENSIONS: readonly string[] = [
  'txt', 'md', 'markdown', 'rst', 'json', 'jsonl', 'csv', 'tsv', 'yaml', 'yml', 'xml', 'toml', 'ini', 'cfg',
  'html', 'htm', 'pdf', 'py', 'ipynb', 'sh', 'parquet', 'db', 'sqlite', 'log', 'cff', 'bib',
];

/** Extension-less names (case-insensitive) seen beside datasets. */
export const SIDE_FILE_NAMES: readonly string[] = ['readme', 'license', 'licence', 'copying', 'notice', 'authors', 'citation', 'changelog', 'makefile', 'attribution'];

/** True when a root-level file name is a known side file (by extension, or an extension-less known name; image names never are). */
export function isSideFile(name: string): boolean {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot <= 0 ? SIDE_FILE_NAMES.includes(lower) : SIDE_FILE_EXTENSIONS.includes(lower.slice(dot + 1));
}
