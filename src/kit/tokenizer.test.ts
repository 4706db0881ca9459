import { expect, test } from 'vitest';
import { tokenize, type TokenizerRules } from './tokenizer.js';

const refuse = (problem: { kind: string; at: number }) => new Error(`${problem.kind} at ${problem.at}`);
const scim: TokenizerRules = { quotes: ['"'], symbols: ['(', ')'], words: true, refuse };
const spel: TokenizerRules = { quotes: ['"', "'"], symbols: ['==', '=', '(', ')', '.'], number: /[0-9]+(\.[0-9]+)?/, name: /[A-Za-z_$][A-Za-z0-9_$]*/, refuse };

const shape = (source: string, rules: TokenizerRules) => tokenize(source, rules).map((t) => `${t.type}:${t.text}`);

test('a SCIM filter splits into words, strings and parentheses, ending with an end token', () => {
  expect(shape('name sw "Ad \\"x\\"" and (age gt 30)', scim)).toEqual([
    'word:name', 'word:sw', 'string:Ad "x"', 'word:and', 'symbol:(', 'word:age', 'word:gt', 'word:30', 'symbol:)', 'end:',
  ]);
});

test('a word stops at a quote or a symbol', () => {
  expect(shape('a"b"(c)', scim)).toEqual(['word:a', 'string:b', 'symbol:(', 'word:c', 'symbol:)', 'end:']);
});

test('numbers, names and symbols are tried in that order, longer symbols listed first', () => {
  expect(shape("user.age == 4.5 = 'x'", spel)).toEqual(['name:user', 'symbol:.', 'name:age', 'symbol:==', 'number:4.5', 'symbol:=', "string:x", 'end:']);
  expect(tokenize('ab  12', spel).map((t) => t.at)).toEqual([0, 4, 6]);
});

test('an unclosed string and an unknown character are refused through the rules, with their positions', () => {
  expect(() => tokenize('a eq "open', scim)).toThrow('unclosed_string at 5');
  expect(() => tokenize('a # b', spel)).toThrow('unexpected_character at 2');
});
