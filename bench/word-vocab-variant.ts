/**
 * Bench only: a copy of a generated VLM folder whose tokenizer knows whole words, so labels tokenise like with a real
 * vocabulary (car makers in 1–2 tokens) instead of the generator's near byte-level BPE (2–12 tokens each). Same ONNX
 * weights (symlinked); new tokens reuse the generator's filler ids ("Ġv0"…), which have embedding and lm_head rows.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
}

const pairKey = (a: string, b: string) => `${a} ${b}`;

/** Byte-level BPE of one pre-token (ASCII here, so bytes = characters; a space is "Ġ"), lowest-ranked pair first. */
function bpe(word: string, ranks: Map<string, number>): string[] {
  const symbols = [...word];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = ranks.get(pairKey(symbols[i], symbols[i + 1]));
      if (r !== undefined && r < bestRank) [best, bestRank] = [i, r];
    }
    if (best < 0) return symbols;
    symbols.splice(best, 2, symbols[best] + symbols[best + 1]);
  }
}

/**
 * `dir` + "-words-<hash of the list>": words of at most 6 letters become one token, longer ones two (split in the middle), each with
 * and without a leading space. Returns the folder (made once, atomically).
 */
export function wordVocabVariant(dir: string, words: readonly string[]): string {
  const tag = createHash('sha256').update(words.join('\n')).digest('hex').slice(0, 8);
  const out = join(dirname(dir), `${basename(dir)}-words-${tag}`);
  if (existsSync(out)) return out;
  const tok = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  const merges = tok.model.merges.map((m) => (Array.isArray(m) ? m : (m.split(' ') as [string, string])));
  const ranks = new Map(merges.map(([a, b], i) => [pairKey(a, b), i]));
  const fillers = Object.keys(tok.model.vocab).filter((k) => /^Ġv\d+$/.test(k));
  const addToken = (piece: string) => {
    if (tok.model.vocab[piece] !== undefined) return;
    const filler = fillers.shift();
    if (!filler) throw new Error('no filler ids left for new tokens');
    tok.model.vocab[piece] = tok.model.vocab[filler];
    delete tok.model.vocab[filler];
  };
  // Glue the current symbols of `piece` left to right, one new merge per step (each result becomes a token).
  const makeToken = (piece: string) => {
    const symbols = bpe(piece, ranks);
    let acc = symbols[0];
    for (const next of symbols.slice(1)) {
      if (!ranks.has(pairKey(acc, next))) {
        ranks.set(pairKey(acc, next), merges.length);
        merges.push([acc, next]);
      }
      acc += next;
      addToken(acc);
    }
  };
  for (const word of words.flatMap((w) => w.split(/(?=[-])|(?<=[-])/)).filter((w) => /^[A-Za-z]+$/.test(w))) {
    const halves = word.length <= 6 ? [word] : [word.slice(0, Math.ceil(word.length / 2)), word.slice(Math.ceil(word.length / 2))];
    for (const first of [halves[0], `Ġ${halves[0]}`]) makeToken(first);
    if (halves[1]) makeToken(halves[1]);
  }
  tok.model.merges = merges.map(([a, b]) => `${a} ${b}`);
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const name of readdirSync(dir)) {
    if (name !== 'tokenizer.json') symlinkSync(join(dir, name), join(tmp, name));
  }
  writeFileSync(join(tmp, 'tokenizer.json'), JSON.stringify(tok));
  try {
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(out, 'tokenizer.json'))) throw err; // another process made it first
  }
  return out;
}
