/** Byte-level BPE tokenizer.json (GPT-2 byte alphabet, a few merges, model-specific special tokens). */

/** GPT-2's reversible byte → printable-unicode table used by ByteLevel pre-tokenizers. */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const table: string[] = new Array(256);
  bs.forEach((b, i) => (table[b] = String.fromCodePoint(cs[i])));
  return table;
}

/**
 * A few merges so tokens are not all single bytes ("he", "Ġt", …); labels such as "cat", "dog" or
 * "Chevrolet" still split into several tokens, which the trie and scoring code must handle.
 */
const MERGES: [string, string][] = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['i', 'n'],
  ['e', 'r'],
  ['o', 'r'],
  ['a', 'n'],
  ['Ġ', 'a'],
  ['o', 'n'],
];

export interface TokenizerLayout {
  vocab: Record<string, number>;
  vocabSize: number;
  specialIds: Record<string, number>;
}

/**
 * Ids: special tokens first (in the given order), then the 256 byte symbols, then merge results, then
 * (when `padTo` exceeds that) filler tokens "Ġv0", "Ġv1"… that no merge produces — they only widen
 * the embedding table and lm_head to a realistic vocabulary, and decode to " v0" etc.
 */
export function layoutVocab(specials: string[], padTo = 0): TokenizerLayout {
  const vocab: Record<string, number> = {};
  const specialIds: Record<string, number> = {};
  let next = 0;
  for (const s of specials) {
    specialIds[s] = next;
    vocab[s] = next++;
  }
  for (const ch of bytesToUnicode()) vocab[ch] = next++;
  for (const [a, b] of MERGES) vocab[a + b] = next++;
  for (let i = 0; next < padTo; i++) vocab[`Ġv${i}`] = next++;
  return { vocab, vocabSize: next, specialIds };
}

export function buildTokenizerJson(layout: TokenizerLayout): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: Object.entries(layout.specialIds).map(([content, id]) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: layout.vocab,
      merges: MERGES.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/** `added_tokens_decoder` block of tokenizer_config.json, as the Hub files carry it. */
export function addedTokensDecoder(layout: TokenizerLayout): Record<string, object> {
  return Object.fromEntries(
    Object.entries(layout.specialIds).map(([content, id]) => [
      String(id),
      { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
    ]),
  );
}
