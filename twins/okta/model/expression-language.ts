import { tokenize, type Token } from '../../../src/index.js';

/**
 * The subset of the Okta Expression Language (a SpEL dialect) that group rule conditions use: `user.<attribute>`
 * references, string, number, boolean and null constants, `==` `!=` `<` `>` `<=` `>=`, `&&`/`AND`, `||`/`OR`,
 * `!`/`NOT`, parentheses, the String functions that test or transform text, and the group membership functions
 * (Okta's Expression Language reference, "Expressions in group rules").
 */

/** A parsed expression. */
export type Expression =
  | { kind: 'constant'; value: string | number | boolean | null }
  | { kind: 'attribute'; name: string }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'not'; operand: Expression }
  | { kind: 'logical'; operator: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'compare'; operator: '==' | '!=' | '<' | '>' | '<=' | '>='; left: Expression; right: Expression };

/** What an expression reads about the user it is evaluated for. */
interface ExpressionScope {
  /** A profile attribute (`user.department`), null when unset. */
  attribute(name: string): unknown;
  /** A property of the user outside its profile (`user.getInternalProperty("status")`). */
  internal(name: string): unknown;
  /** The ids and names of the groups the user belongs to. */
  groups(): { id: string; name: string }[];
}

/** Why an expression was refused, in words fit for an errorCause. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type ValueType = 'boolean' | 'string' | 'number' | 'null' | 'any';

interface FunctionSpec {
  /** Exact argument count, or the minimum when `variadic`. */
  arity: number;
  variadic?: boolean;
  returns: ValueType;
  run: (args: unknown[], scope: ExpressionScope) => unknown;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

const FUNCTIONS: Record<string, FunctionSpec> = {
  'String.startsWith': { arity: 2, returns: 'boolean', run: ([s, prefix]) => text(s)?.startsWith(String(prefix)) ?? false },
  'String.stringContains': { arity: 2, returns: 'boolean', run: ([s, part]) => text(s)?.includes(String(part)) ?? false },
  'String.toLowerCase': { arity: 1, returns: 'string', run: ([s]) => text(s)?.toLowerCase() ?? null },
  'String.toUpperCase': { arity: 1, returns: 'string', run: ([s]) => text(s)?.toUpperCase() ?? null },
  'String.len': { arity: 1, returns: 'number', run: ([s]) => text(s)?.length ?? 0 },
  'String.substringBefore': {
    arity: 2,
    returns: 'string',
    run: ([s, search]) => {
      const value = text(s);
      const at = value?.indexOf(String(search)) ?? -1;
      return value === null ? null : at < 0 ? value : value.slice(0, at);
    },
  },
  'String.substringAfter': {
    arity: 2,
    returns: 'string',
    run: ([s, search]) => {
      const value = text(s);
      const at = value?.indexOf(String(search)) ?? -1;
      return value === null ? null : at < 0 ? '' : value.slice(at + String(search).length);
    },
  },
  isMemberOfGroup: { arity: 1, returns: 'boolean', run: ([id], scope) => scope.groups().some((g) => g.id === id) },
  isMemberOfAnyGroup: { arity: 1, variadic: true, returns: 'boolean', run: (ids, scope) => scope.groups().some((g) => ids.includes(g.id)) },
  isMemberOfGroupName: { arity: 1, returns: 'boolean', run: ([name], scope) => scope.groups().some((g) => g.name === name) },
  isMemberOfGroupNameStartsWith: { arity: 1, returns: 'boolean', run: ([prefix], scope) => scope.groups().some((g) => g.name.startsWith(String(prefix))) },
  isMemberOfGroupNameContains: { arity: 1, returns: 'boolean', run: ([part], scope) => scope.groups().some((g) => g.name.includes(String(part))) },
  'user.getInternalProperty': { arity: 1, returns: 'any', run: ([name], scope) => scope.internal(String(name)) ?? null },
};

const SYMBOLS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', ',', '.', '=', '?', ':', '+', '-', '*', '/', '{', '}', '[', ']'];

// SpEL's lexical rules as group rule conditions use them: single- or double-quoted strings, decimal numbers, names.
function tokens(source: string): Token[] {
  return tokenize(source, {
    quotes: ['"', "'"],
    symbols: SYMBOLS,
    number: /[0-9]+(\.[0-9]+)?/,
    name: /[A-Za-z_$][A-Za-z0-9_$]*/,
    refuse: (problem) =>
      new ExpressionError(
        problem.kind === 'unclosed_string'
          ? `Invalid expression: the string starting at position ${problem.at + 1} is not closed`
          : `Invalid expression: unexpected character '${problem.character}' at position ${problem.at + 1}`,
      ),
  });
}

const KEYWORD_AND = /^and$/i;
const KEYWORD_OR = /^or$/i;
const KEYWORD_NOT = /^not$/i;
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expression {
    const expression = this.or();
    const next = this.peek();
    if (next.type !== 'end') throw this.unexpected(next);
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private take(): Token {
    return this.tokens[this.i++];
  }

  private isSymbol(value: string): boolean {
    const token = this.peek();
    return token.type === 'symbol' && token.text === value;
  }

  private isKeyword(pattern: RegExp): boolean {
    const token = this.peek();
    return token.type === 'name' && pattern.test(token.text);
  }

  private expect(value: string): void {
    if (!this.isSymbol(value)) throw this.unexpected(this.peek(), `'${value}'`);
    this.i++;
  }

  private unexpected(token: Token, wanted?: string): ExpressionError {
    if (token.type === 'symbol' && token.text === '=') return new ExpressionError("Invalid expression: an expression cannot contain an assignment ('='); use '==' to compare");
    if (token.type === 'symbol' && (token.text === '?' || token.text === ':')) {
      return new ExpressionError('Invalid expression: conditional (? :) expressions are not supported in group rule conditions');
    }
    const seen = token.type === 'end' ? 'end of expression' : `'${token.type === 'number' ? Number(token.text) : token.text}'`;
    return new ExpressionError(`Invalid expression: unexpected ${seen} at position ${token.at + 1}${wanted ? `, expected ${wanted}` : ''}`);
  }

  private or(): Expression {
    let left = this.and();
    while (this.isSymbol('||') || this.isKeyword(KEYWORD_OR)) {
      this.i++;
      left = { kind: 'logical', operator: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expression {
    let left = this.unary();
    while (this.isSymbol('&&') || this.isKeyword(KEYWORD_AND)) {
      this.i++;
      left = { kind: 'logical', operator: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expression {
    if (this.isSymbol('!') || this.isKeyword(KEYWORD_NOT)) {
      this.i++;
      return { kind: 'not', operand: this.unary() };
    }
    const left = this.primary();
    const next = this.peek();
    if (next.type === 'symbol' && COMPARISONS.has(next.text)) {
      this.i++;
      return { kind: 'compare', operator: next.text as '==', left, right: this.primary() };
    }
    return left;
  }

  private primary(): Expression {
    const token = this.take();
    if (token.type === 'string') return { kind: 'constant', value: token.text };
    if (token.type === 'number') return { kind: 'constant', value: Number(token.text) };
    if (token.type === 'symbol' && token.text === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (token.type === 'symbol' && token.text === '-' && this.peek().type === 'number') return { kind: 'constant', value: -Number(this.take().text) };
    if (token.type !== 'name') throw this.unexpected(token);
    const lower = token.text.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'constant', value: lower === 'true' };
    if (lower === 'null') return { kind: 'constant', value: null };
    const path = [token.text];
    while (this.isSymbol('.')) {
      this.i++;
      const part = this.take();
      if (part.type !== 'name') throw this.unexpected(part, 'a name');
      path.push(part.text);
    }
    const name = path.join('.');
    if (this.isSymbol('(')) return this.call(name);
    if (path[0] === 'user' && path.length === 2) return { kind: 'attribute', name: path[1] };
    if (path[0] === 'user' && path.length > 2) throw new ExpressionError(`Invalid property ${path.slice(1).join('.')} in expression: user attributes are referenced as user.attributeName`);
    throw new ExpressionError(`Invalid expression: unknown variable '${name}'; group rules reference user attributes as user.attributeName`);
  }

  private call(name: string): Expression {
    this.expect('(');
    const args: Expression[] = [];
    if (!this.isSymbol(')')) {
      args.push(this.or());
      while (this.isSymbol(',')) {
        this.i++;
        args.push(this.or());
      }
    }
    this.expect(')');
    const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!spec) throw new ExpressionError(`Function ${name} is not supported in group rule expressions`);
    if (spec.variadic ? args.length < spec.arity : args.length !== spec.arity) {
      throw new ExpressionError(`Parameter count mismatch for function ${name}: expected ${spec.variadic ? `at least ${spec.arity}` : spec.arity}, got ${args.length}`);
    }
    return { kind: 'call', name, args };
  }
}

function typeOf(expression: Expression): ValueType {
  switch (expression.kind) {
    case 'constant':
      return expression.value === null ? 'null' : (typeof expression.value as 'string' | 'number' | 'boolean');
    case 'attribute':
      return 'any';
    case 'call':
      return FUNCTIONS[expression.name].returns;
    default:
      return 'boolean';
  }
}

/** Refuses what SpEL would refuse to evaluate as a condition: a non-Boolean operand of `!`, `&&`, `||`, or as the result. */
function checkTypes(expression: Expression): void {
  const boolean = (e: Expression) => {
    checkTypes(e);
    const type = typeOf(e);
    if (type !== 'boolean' && type !== 'any') throw new ExpressionError('Invalid expression: the condition must evaluate to a Boolean value');
  };
  switch (expression.kind) {
    case 'not':
      boolean(expression.operand);
      break;
    case 'logical':
      boolean(expression.left);
      boolean(expression.right);
      break;
    case 'compare':
      checkTypes(expression.left);
      checkTypes(expression.right);
      break;
    case 'call':
      expression.args.forEach(checkTypes);
      break;
  }
}

/**
 * Parses a group rule condition, or throws an ExpressionError saying what is wrong with it.
 *
 * @example
 * parseCondition('user.department=="Engineering" && !isMemberOfAnyGroup("00g1")');
 */
export function parseCondition(source: string): Expression {
  const expression = new Parser(tokens(source)).parse();
  checkTypes(expression);
  const type = typeOf(expression);
  if (type !== 'boolean' && type !== 'any') throw new ExpressionError('Invalid expression: the condition must evaluate to a Boolean value');
  return expression;
}

/**
 * Parses an expression of any type, as a custom claim's value is one (`user.email`, `String.toLowerCase(user.login)`),
 * or throws an ExpressionError saying what is wrong with it.
 *
 * @example
 * parseExpression('String.toUpperCase(user.department)');
 */
export function parseExpression(source: string): Expression {
  const expression = new Parser(tokens(source)).parse();
  checkTypes(expression);
  return expression;
}

function equal(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && a !== undefined && b !== undefined && Number(a) === Number(b);
  return a === b;
}

function ordered(operator: '<' | '>' | '<=' | '>=', a: unknown, b: unknown): boolean {
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const x = a as number | string;
  const y = b as number | string;
  return operator === '<' ? x < y : operator === '>' ? x > y : operator === '<=' ? x <= y : x >= y;
}

/** The value of an expression for one user; a condition is met only when it evaluates to `true`. */
export function evaluate(expression: Expression, scope: ExpressionScope): unknown {
  switch (expression.kind) {
    case 'constant':
      return expression.value;
    case 'attribute':
      return scope.attribute(expression.name) ?? null;
    case 'call':
      return FUNCTIONS[expression.name].run(expression.args.map((arg) => evaluate(arg, scope)), scope);
    case 'not':
      return evaluate(expression.operand, scope) !== true;
    case 'logical': {
      const left = evaluate(expression.left, scope) === true;
      if (expression.operator === 'and') return left && evaluate(expression.right, scope) === true;
      return left || evaluate(expression.right, scope) === true;
    }
    case 'compare': {
      const left = evaluate(expression.left, scope);
      const right = evaluate(expression.right, scope);
      if (expression.operator === '==') return equal(left, right);
      if (expression.operator === '!=') return !equal(left, right);
      return ordered(expression.operator, left, right);
    }
  }
}
