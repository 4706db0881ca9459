/**
 * One lexeme of a filter or condition expression. `text` is the lexeme as written, except for a string, whose
 * `text` is its content with the quotes and escapes taken away. `at` is its 0-based position in the source.
 *
 * @example
 * const token: Token = { type: 'name', text: 'status', at: 0 };
 */
export interface Token {
  type: 'string' | 'number' | 'name' | 'symbol' | 'word' | 'end';
  text: string;
  at: number;
}

/**
 * Why a source could not be split into tokens: a string that is not closed (`at` is where it opens), or a
 * character no rule takes (`at` is where it stands).
 *
 * @example
 * const problem: TokenizeProblem = { kind: 'unclosed_string', at: 9, character: '"' };
 */
export interface TokenizeProblem {
  kind: 'unclosed_string' | 'unexpected_character';
  at: number;
  character: string;
}

/**
 * The lexical rules of one expression language. Every rule is optional; they are tried in this order at each
 * position: white space, a quote, a number, a name, a symbol, a word.
 *
 * @example
 * const scim: TokenizerRules = { quotes: ['"'], symbols: ['(', ')'], words: true, refuse: () => new Error('bad syntax') };
 */
export interface TokenizerRules {
  /** Characters that open and close a string; inside one, a backslash takes the next character as it is. */
  quotes?: readonly string[];
  /** Symbols, tried in the order given: list `<=` before `<`. */
  symbols?: readonly string[];
  /** A number starts here when this matches (anchored at the position). */
  number?: RegExp;
  /** A name starts here when this matches (anchored at the position). */
  name?: RegExp;
  /** Take any other run of characters up to white space, a quote or a symbol as one word, instead of refusing it. */
  words?: boolean;
  /** The vendor's error for a source that cannot be split: kit code never words a refusal itself. */
  refuse(problem: TokenizeProblem): Error;
}

const SPACE = /\s/;

// Sticky copies match only at lastIndex, so a rule is tried at the position without slicing the source.
function sticky(pattern: RegExp | undefined): RegExp | undefined {
  return pattern && new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'y');
}

function matchAt(pattern: RegExp | undefined, source: string, at: number): string | undefined {
  if (!pattern) return undefined;
  pattern.lastIndex = at;
  // An empty match would never move on: it counts as no match.
  return pattern.exec(source)?.[0] || undefined;
}

/**
 * Splits an expression (a SCIM-style `filter`, a rule condition) into tokens, ending with one `end` token; the
 * grammar and its operators stay with the twin that parses the tokens.
 *
 * @example
 * tokenize('name sw "Ad" and (age gt 30)', { quotes: ['"'], symbols: ['(', ')'], words: true, refuse: () => new Error('bad syntax') });
 * // [name word, sw word, Ad string, and word, ( symbol, age word, gt word, 30 word, ) symbol, end]
 */
export function tokenize(source: string, rules: TokenizerRules): Token[] {
  const quotes = rules.quotes ?? [];
  const symbols = rules.symbols ?? [];
  const numberRule = sticky(rules.number);
  const nameRule = sticky(rules.name);
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (quotes.includes(c)) {
      const start = i++;
      let text = '';
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        text += source[i++];
      }
      if (i >= source.length) throw rules.refuse({ kind: 'unclosed_string', at: start, character: c });
      i++;
      tokens.push({ type: 'string', text, at: start });
      continue;
    }
    const number = matchAt(numberRule, source, i);
    const name = number === undefined ? matchAt(nameRule, source, i) : undefined;
    const symbol = number === undefined && name === undefined ? symbols.find((s) => source.startsWith(s, i)) : undefined;
    const lexeme = number ?? name ?? symbol;
    if (lexeme !== undefined) {
      tokens.push({ type: number !== undefined ? 'number' : name !== undefined ? 'name' : 'symbol', text: lexeme, at: i });
      i += lexeme.length;
      continue;
    }
    if (!rules.words) throw rules.refuse({ kind: 'unexpected_character', at: i, character: c });
    const start = i;
    while (i < source.length && !SPACE.test(source[i]) && !quotes.includes(source[i]) && !symbols.some((s) => source.startsWith(s, i))) i++;
    tokens.push({ type: 'word', text: source.slice(start, i), at: start });
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
}
