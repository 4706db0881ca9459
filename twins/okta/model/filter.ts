import { parseInstant, tokenize, type Token } from '../../../src/index.js';
import { OktaError } from '../errors.js';

/**
 * Okta's `filter` and `search` expressions: SCIM filters (RFC 7644 §3.4.2.2) as Okta takes them, e.g.
 * `profile.lastName sw "Bro" and (status eq "ACTIVE" or status eq "STAGED")`. `and` binds tighter than `or`,
 * parentheses group, operators and keywords are case-insensitive. Each endpoint says which properties and
 * operators its parameter takes and how to read a property of its records.
 */
export interface FilterRules<T> {
  /** Whether the parameter takes this property with this operator. */
  supports(property: string, operator: string): boolean;
  /** The value of a property of a record. An array matches when any element does (for `ne`, when none does). */
  read(record: T, property: string): unknown;
  /** Timestamp properties: they take only an ISO-8601 instant (parseInstant), and compare as instants. */
  dates?: ReadonlySet<string>;
  /** Whether strings compare case-sensitively, as the users `filter` does; otherwise they compare case-insensitively. */
  caseSensitive?: boolean;
}

type Literal = string | number | boolean | null;
type Term = { kind: 'present'; property: string } | { kind: 'compare'; property: string; operator: string; value: Literal };
type Expression = Term | { kind: 'and' | 'or'; left: Expression; right: Expression };

/** SCIM's comparison operators: an endpoint that does not support one refuses it as unsupported, not as bad syntax. */
const COMPARISON_OPERATORS = new Set(['eq', 'ne', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le']);

/**
 * Parses an expression and checks it against the endpoint's rules, giving the test a record must pass.
 * Okta answers an expression it cannot parse with E0000031 and the cause "Invalid search syntax.", and a
 * well-formed one on a property, operator or value the parameter does not support with E0000031 without causes.
 */
export function compileFilter<T>(text: string, rules: FilterRules<T>): (record: T) => boolean {
  const expression = parseExpression(text);
  eachTerm(expression, (term) => {
    if (!rules.supports(term.property, term.kind === 'present' ? 'pr' : term.operator)) throw unsupported();
    if (term.kind === 'compare' && rules.dates?.has(term.property) && (typeof term.value !== 'string' || parseInstant(term.value) === undefined)) {
      throw unsupported();
    }
  });
  return (record) => matches(record, expression, rules);
}

/** The value at a dotted path of a record (`profile.name`, `source.id`). */
export function pathValue(record: unknown, path: string): unknown {
  let node: any = record;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

function syntaxError(): OktaError {
  return new OktaError('E0000031', { causes: ['Invalid search syntax.'] });
}

function unsupported(): OktaError {
  return new OktaError('E0000031');
}

// SCIM's lexical rules: double-quoted strings, parentheses, and words (names, operators, bare literals) between them.
function tokens(text: string): Token[] {
  return tokenize(text, { quotes: ['"'], symbols: ['(', ')'], words: true, refuse: syntaxError });
}

function bareLiteral(word: string): Literal {
  const lowered = word.toLowerCase();
  if (lowered === 'true' || lowered === 'false') return lowered === 'true';
  if (lowered === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  throw syntaxError();
}

function parseExpression(text: string): Expression {
  const list = tokens(text);
  let pos = 0;
  // The list ends with an `end` token, which matches nothing: reading past it always fails first.
  const atKeyword = (keyword: string) => list[pos].type === 'word' && list[pos].text.toLowerCase() === keyword;
  const parseOr = (): Expression => {
    let left = parseAnd();
    while (atKeyword('or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expression => {
    let left = parseTerm();
    while (atKeyword('and')) {
      pos++;
      left = { kind: 'and', left, right: parseTerm() };
    }
    return left;
  };
  const parseTerm = (): Expression => {
    const first = list[pos++];
    if (first.type === 'symbol' && first.text === '(') {
      const inner = parseOr();
      const close = list[pos++];
      if (close.type !== 'symbol' || close.text !== ')') throw syntaxError();
      return inner;
    }
    if (first.type !== 'word' || !/^[A-Za-z_][\w.]*$/.test(first.text)) throw syntaxError();
    const operator = list[pos++];
    if (operator.type !== 'word') throw syntaxError();
    const op = operator.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', property: first.text };
    if (!COMPARISON_OPERATORS.has(op)) throw syntaxError();
    const value = list[pos++];
    if (value.type === 'string') return { kind: 'compare', property: first.text, operator: op, value: value.text };
    if (value.type === 'word') return { kind: 'compare', property: first.text, operator: op, value: bareLiteral(value.text) };
    throw syntaxError();
  };
  const expression = parseOr();
  if (list[pos].type !== 'end') throw syntaxError();
  return expression;
}

function eachTerm(expression: Expression, visit: (term: Term) => void): void {
  if (expression.kind === 'present' || expression.kind === 'compare') {
    visit(expression);
  } else {
    eachTerm(expression.left, visit);
    eachTerm(expression.right, visit);
  }
}

function matches<T>(record: T, expression: Expression, rules: FilterRules<T>): boolean {
  switch (expression.kind) {
    case 'and':
      return matches(record, expression.left, rules) && matches(record, expression.right, rules);
    case 'or':
      return matches(record, expression.left, rules) || matches(record, expression.right, rules);
    case 'present': {
      const value = rules.read(record, expression.property);
      return value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
    }
    case 'compare': {
      const value = rules.read(record, expression.property);
      const values = Array.isArray(value) ? value : [value];
      const isDate = rules.dates?.has(expression.property) ?? false;
      const test = (operator: string) => (v: unknown) => compare(v, operator, expression.value, isDate, rules.caseSensitive ?? false);
      return expression.operator === 'ne' ? !values.some(test('eq')) : values.some(test(expression.operator));
    }
  }
}

function ordered(difference: number, operator: string): boolean {
  switch (operator) {
    case 'eq':
      return difference === 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

/** `sw` and `co` look at the text. Otherwise timestamps compare as instants, numbers as numbers, booleans only for equality, the rest as text. */
function compare(actual: unknown, operator: string, expected: Literal, isDate: boolean, caseSensitive: boolean): boolean {
  if (actual === null || actual === undefined) return operator === 'eq' && expected === null;
  if (expected === null) return false;
  const text = (value: unknown) => (caseSensitive ? String(value) : String(value).toLowerCase());
  if (operator === 'sw') return text(actual).startsWith(text(expected));
  if (operator === 'co') return text(actual).includes(text(expected));
  if (isDate) {
    const [a, b] = [parseInstant(String(actual)), parseInstant(String(expected))];
    return a !== undefined && b !== undefined && ordered(a - b, operator);
  }
  if (typeof actual === 'number' && typeof expected === 'number') return ordered(actual - expected, operator);
  if (typeof actual === 'boolean' || typeof expected === 'boolean') return operator === 'eq' && String(actual) === String(expected);
  const a = text(actual);
  const b = text(expected);
  return ordered(a < b ? -1 : a > b ? 1 : 0, operator);
}
