import { tokenize, type Token } from '../../../src/index.js';
import { badRequest } from '../errors.js';

/** A JQL operand: a value, a list of them, a function call, or EMPTY (NULL). */
export type Operand =
  | { kind: 'value'; text: string; at: number }
  | { kind: 'list'; items: Operand[]; at: number }
  | { kind: 'function'; name: string; args: string[]; at: number }
  | { kind: 'empty'; at: number };

/** A JQL condition tree. */
export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }
  | { kind: 'clause'; field: string; operator: Operator; operand: Operand; at: number };

export type Operator = '=' | '!=' | '~' | '!~' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

/** A parsed JQL query: its condition (undefined when it has none: unbounded) and its ORDER BY. */
export interface JqlQuery {
  where: Condition | undefined;
  orderBy: { field: string; at: number; direction: 'asc' | 'desc' }[];
}

const OPERATOR_LIST = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
const SYMBOLS = ['!=', '!~', '<=', '>=', '&&', '||', '=', '~', '<', '>', '(', ')', ',', '!'];

/** Jira's syntax error: "Error in the JQL Query: ... (line 1, character N)", N counted from 1. */
function syntaxError(message: string, at: number): Error {
  return badRequest(`Error in the JQL Query: ${message} (line 1, character ${at + 1})`);
}

const shown = (token: Token) => (token.type === 'end' ? 'EOF' : token.text);

/**
 * Parses JQL as Jira's search reads it: clauses `field operator operand`, joined by AND and OR (AND binds tighter),
 * negated by NOT or `!`, grouped by parentheses; operands are values (quoted or not), lists `(a, b)`, functions
 * `currentUser()`, or EMPTY/NULL; then an optional ORDER BY. A syntax error is Jira's 400 with its position.
 *
 * @example
 * parseJql('project = TWIN AND status IN ("To Do", "In Progress") ORDER BY created DESC');
 */
export function parseJql(source: string): JqlQuery {
  const tokens = tokenize(source, {
    quotes: ['"', "'"],
    symbols: SYMBOLS,
    words: true,
    refuse: (problem) => syntaxError(`The quoted string '${source.slice(problem.at + 1)}' has not been completed.`, problem.at),
  });
  let i = 0;
  const peek = () => tokens[i];
  const word = (token: Token, ...words: string[]) => token.type === 'word' && words.includes(token.text.toLowerCase());
  const symbol = (token: Token, text: string) => token.type === 'symbol' && token.text === text;

  const operand = (): Operand => {
    const token = peek();
    if (symbol(token, '(')) {
      i++;
      const items: Operand[] = [];
      for (;;) {
        items.push(operand());
        if (symbol(peek(), ',')) {
          i++;
          continue;
        }
        if (symbol(peek(), ')')) {
          i++;
          return { kind: 'list', items, at: token.at };
        }
        throw syntaxError(`Expecting ')' but got '${shown(peek())}'.`, peek().at);
      }
    }
    if (token.type === 'word' && word(token, 'empty', 'null')) {
      i++;
      return { kind: 'empty', at: token.at };
    }
    if (token.type === 'word' && symbol(tokens[i + 1], '(')) {
      i += 2;
      const args: string[] = [];
      while (!symbol(peek(), ')')) {
        const arg = peek();
        if (arg.type !== 'word' && arg.type !== 'string') throw syntaxError(`Expecting ')' but got '${shown(arg)}'.`, arg.at);
        args.push(arg.text);
        i++;
        if (symbol(peek(), ',')) i++;
      }
      i++;
      return { kind: 'function', name: token.text, args, at: token.at };
    }
    if (token.type === 'word' || token.type === 'string') {
      i++;
      return { kind: 'value', text: token.text, at: token.at };
    }
    throw syntaxError(`Expecting either a value, list or function but got '${shown(token)}'.`, token.at);
  };

  const operator = (): Operator => {
    const token = peek();
    if (token.type === 'symbol' && ['=', '!=', '~', '!~', '<', '<=', '>', '>='].includes(token.text)) {
      i++;
      return token.text as Operator;
    }
    if (word(token, 'in')) {
      i++;
      return 'in';
    }
    if (word(token, 'not') && word(tokens[i + 1], 'in')) {
      i += 2;
      return 'not in';
    }
    if (word(token, 'is')) {
      i++;
      if (word(peek(), 'not')) {
        i++;
        return 'is not';
      }
      return 'is';
    }
    throw syntaxError(`Expecting operator but got '${shown(token)}'. ${OPERATOR_LIST}`, token.at);
  };

  const clause = (): Condition => {
    const token = peek();
    if (symbol(token, '(')) {
      i++;
      const inner = or();
      if (!symbol(peek(), ')')) throw syntaxError(`Expecting ')' but got '${shown(peek())}'.`, peek().at);
      i++;
      return inner;
    }
    if (word(token, 'not') || symbol(token, '!')) {
      i++;
      return { kind: 'not', part: clause() };
    }
    if ((token.type !== 'word' && token.type !== 'string') || word(token, 'and', 'or', 'order')) {
      throw syntaxError(`Expecting a field name but got '${shown(token)}'.`, token.at);
    }
    i++;
    const op = operator();
    const value = operand();
    if ((op === 'in' || op === 'not in') && value.kind !== 'list' && value.kind !== 'function') {
      throw syntaxError(`Expecting '(' but got '${value.kind === 'value' ? value.text : 'EMPTY'}'.`, value.at);
    }
    if ((op === 'is' || op === 'is not') && value.kind !== 'empty') throw syntaxError(`Expecting 'EMPTY' or 'NULL' after '${op.toUpperCase()}'.`, value.at);
    return { kind: 'clause', field: token.text, operator: op, operand: value, at: token.at };
  };

  const and = (): Condition => {
    const parts = [clause()];
    while (word(peek(), 'and') || symbol(peek(), '&&')) {
      i++;
      parts.push(clause());
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  };

  const or = (): Condition => {
    const parts = [and()];
    while (word(peek(), 'or') || symbol(peek(), '||')) {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  };

  const where = peek().type === 'end' || word(peek(), 'order') ? undefined : or();
  const orderBy: JqlQuery['orderBy'] = [];
  if (word(peek(), 'order')) {
    i++;
    if (!word(peek(), 'by')) throw syntaxError(`Expecting 'by' but got '${shown(peek())}'.`, peek().at);
    i++;
    do {
      if (symbol(peek(), ',')) i++;
      const field = peek();
      if (field.type !== 'word' && field.type !== 'string') throw syntaxError(`Expecting a field name but got '${shown(field)}'.`, field.at);
      i++;
      let direction: 'asc' | 'desc' = 'asc';
      if (word(peek(), 'asc', 'desc')) direction = tokens[i++].text.toLowerCase() as 'asc' | 'desc';
      orderBy.push({ field: field.text, at: field.at, direction });
    } while (symbol(peek(), ','));
  }
  if (peek().type !== 'end') throw syntaxError(`Expecting either 'OR' or 'AND' but got '${shown(peek())}'.`, peek().at);
  return { where, orderBy };
}
