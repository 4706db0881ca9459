import { tokenize, type Token } from '../../../src/index.js';
import type { OktaLogEvent } from './system-log.js';

/**
 * An event hook's filter as Okta stores it (`events.filter`, EventHookFilters): for some of the subscribed types, an
 * Okta Expression Language condition an event must meet to be delivered. Types without an entry are delivered whole.
 */
export interface EventHookFilter {
  type: 'EXPRESSION_LANGUAGE';
  eventFilterMap: { event: string; condition: { expression: string; version: string | null } }[];
}

/**
 * Why a filter was refused: the field and what is wrong with it, for Okta's E0000001 errorCauses.
 */
export class FilterProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/*
 * The expression language of event hook filters, as Okta documents it ("Okta Expression Language and event hooks",
 * help.okta.com, csh-event-hooks-el): an expression that evaluates to a Boolean over these fields only:
 *   event.eventType, event.outcome.reason, event.outcome.result, event.actor.id, event.actor.type,
 *   event.actor.alternateId, event.actor.displayName, event.debugData.changedAttributes,
 *   and the targets as a selection: event.target.?[<condition on id, type, alternateId, displayName>].size()
 * with the operators eq, ne, && and || (and == / != as the beta documentation wrote them), comparisons of a
 * selection's size with a number (`.size() > 0`), parentheses and `!`. Anything else is refused when the hook is
 * created or replaced, naming what the twin cannot evaluate, rather than stored and silently never matched.
 */

/** The fields Okta lets a filter read, and where each is in a LogEvent. */
const EVENT_FIELDS: Record<string, (event: OktaLogEvent) => unknown> = {
  'event.eventType': (e) => e.eventType,
  'event.outcome.reason': (e) => e.outcome.reason,
  'event.outcome.result': (e) => e.outcome.result,
  'event.actor.id': (e) => e.actor.id,
  'event.actor.type': (e) => e.actor.type,
  'event.actor.alternateId': (e) => e.actor.alternateId,
  'event.actor.displayName': (e) => e.actor.displayName,
  'event.debugData.changedAttributes': (e) => e.debugContext.debugData.changedAttributes ?? null,
};

/** The target fields a selection (`event.target.?[...]`) may test. */
const TARGET_FIELDS = new Set(['id', 'type', 'alternateId', 'displayName']);

type Value = { kind: 'literal'; value: string | number | boolean | null } | { kind: 'field'; name: string } | { kind: 'count'; where: Node };
type Node =
  | { kind: 'or' | 'and'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'compare'; op: '==' | '!=' | '>' | '>=' | '<' | '<='; left: Value; right: Value }
  | { kind: 'value'; value: Value };

// The filter language's lexemes, for the kit's tokenizer: quoted strings, decimal numbers, dotted names (with a
// trailing `size()` call: `event.target.?[...].size()` arrives as `.size()`), and the operators.
function tokenizeFilter(source: string): Token[] {
  return tokenize(source, {
    quotes: ["'", '"'],
    symbols: ['.?[', '&&', '||', '==', '!=', '>=', '<=', '>', '<', '!', '(', ')', ']'],
    number: /\d+(\.\d+)?/,
    name: /\.?[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(\))?/,
    refuse: (problem) => new Error(problem.kind === 'unclosed_string' ? `an unterminated string at position ${problem.at + 1}` : `'${problem.character}' at position ${problem.at + 1}`),
  });
}

/** A recursive-descent parser of the filter language; `inTarget` is true inside `event.target.?[...]`. */
class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or(false);
    if (this.peek().type !== 'end') throw new Error(`'${this.peek().text}' at position ${this.peek().at + 1}`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private accept(text: string): boolean {
    const t = this.peek();
    if ((t.type === 'symbol' || t.type === 'name') && (t.text === text || (text === '&&' && t.text === 'and') || (text === '||' && t.text === 'or'))) {
      this.pos++;
      return true;
    }
    return false;
  }

  private or(inTarget: boolean): Node {
    let left = this.and(inTarget);
    while (this.accept('||')) left = { kind: 'or', left, right: this.and(inTarget) };
    return left;
  }

  private and(inTarget: boolean): Node {
    let left = this.unary(inTarget);
    while (this.accept('&&')) left = { kind: 'and', left, right: this.unary(inTarget) };
    return left;
  }

  private unary(inTarget: boolean): Node {
    if (this.accept('!')) return { kind: 'not', operand: this.unary(inTarget) };
    if (this.accept('(')) {
      const inner = this.or(inTarget);
      if (!this.accept(')')) throw new Error(`a missing ')' at position ${this.peek().at + 1}`);
      return inner;
    }
    const left = this.value(inTarget);
    const op = this.comparison();
    if (!op) return { kind: 'value', value: left };
    return { kind: 'compare', op, left, right: this.value(inTarget) };
  }

  private comparison(): '==' | '!=' | '>' | '>=' | '<' | '<=' | null {
    const t = this.peek();
    const spelled: Record<string, '==' | '!=' | '>' | '>=' | '<' | '<='> = { eq: '==', ne: '!=', '==': '==', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=', gt: '>', ge: '>=', lt: '<', le: '<=' };
    if ((t.type === 'symbol' || t.type === 'name') && spelled[t.text]) {
      this.pos++;
      return spelled[t.text];
    }
    return null;
  }

  private value(inTarget: boolean): Value {
    const t = this.next();
    if (t.type === 'string') return { kind: 'literal', value: t.text };
    if (t.type === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.type !== 'name') throw new Error(t.type === 'end' ? 'an expression that ends too soon' : `'${t.text}' at position ${t.at + 1}`);
    if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
    if (t.text === 'null') return { kind: 'literal', value: null };
    if (inTarget) {
      if (!TARGET_FIELDS.has(t.text)) throw new Error(`the target field '${t.text}' (Okta filters targets on id, type, alternateId and displayName)`);
      return { kind: 'field', name: t.text };
    }
    if (t.text === 'event.target') {
      if (this.next().text !== '.?[') throw new Error(`'event.target' without a selection (write event.target.?[...].size())`);
      const where = this.or(true);
      if (!this.accept(']')) throw new Error(`a missing ']' at position ${this.peek().at + 1}`);
      const size = this.next();
      if (size.type !== 'name' || size.text !== '.size()') throw new Error(`a target selection not followed by .size()`);
      return { kind: 'count', where };
    }
    if (!EVENT_FIELDS[t.text]) throw new Error(`the field '${t.text}' (Okta filters on ${Object.keys(EVENT_FIELDS).join(', ')} and event.target.?[...])`);
    return { kind: 'field', name: t.text };
  }
}

/** Parses one condition, or says what the twin cannot evaluate in it. */
function parseCondition(expression: string): Node {
  try {
    return new Parser(tokenizeFilter(expression)).parse();
  } catch (error) {
    throw new Error(`The twin cannot evaluate ${(error as Error).message} in the event hook filter expression "${expression}"`);
  }
}

/**
 * Checks an event hook's `events.filter` as Okta takes it and returns it as stored: `type` EXPRESSION_LANGUAGE, and
 * an `eventFilterMap` whose entries each name one of the hook's subscribed types (once) and carry a condition the
 * twin can evaluate. Null or absent means no filter.
 *
 * @example
 * const filter = checkEventHookFilter(body.events.filter, ['group.user_membership.add']);
 */
export function checkEventHookFilter(raw: unknown, items: readonly string[]): EventHookFilter | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FilterProblem('events.filter', 'The filter must be an object with type and eventFilterMap');
  const filter = raw as { type?: unknown; eventFilterMap?: unknown };
  if (filter.type !== 'EXPRESSION_LANGUAGE') throw new FilterProblem('events.filter.type', 'The filter type must be EXPRESSION_LANGUAGE');
  if (!Array.isArray(filter.eventFilterMap)) throw new FilterProblem('events.filter.eventFilterMap', 'The eventFilterMap must be a list');
  const seen = new Set<string>();
  const eventFilterMap = filter.eventFilterMap.map((entry: any) => {
    const event = entry?.event;
    if (typeof event !== 'string' || !items.includes(event)) throw new FilterProblem('events.filter.eventFilterMap.event', `The filtered event type ${JSON.stringify(event)} is not one of the event hook's event types`);
    if (seen.has(event)) throw new FilterProblem('events.filter.eventFilterMap.event', `The event type ${event} has more than one filter`);
    seen.add(event);
    const expression = entry?.condition?.expression;
    if (typeof expression !== 'string' || expression.trim() === '') throw new FilterProblem('events.filter.eventFilterMap.condition.expression', 'The field cannot be left blank');
    try {
      parseCondition(expression);
    } catch (error) {
      throw new FilterProblem('events.filter.eventFilterMap.condition.expression', (error as Error).message);
    }
    const version = entry.condition.version;
    return { event, condition: { expression, version: typeof version === 'string' ? version : null } };
  });
  return { type: 'EXPRESSION_LANGUAGE', eventFilterMap };
}

function valueOf(value: Value, event: OktaLogEvent, target: Record<string, unknown> | null): unknown {
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'count') return event.target.filter((t) => truthy(evaluate(value.where, event, t as unknown as Record<string, unknown>))).length;
  return target ? (target[value.name] ?? null) : (EVENT_FIELDS[value.name]?.(event) ?? null);
}

function truthy(value: unknown): boolean {
  return value === true;
}

function evaluate(node: Node, event: OktaLogEvent, target: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case 'or':
      return truthy(evaluate(node.left, event, target)) || truthy(evaluate(node.right, event, target));
    case 'and':
      return truthy(evaluate(node.left, event, target)) && truthy(evaluate(node.right, event, target));
    case 'not':
      return !truthy(evaluate(node.operand, event, target));
    case 'value':
      return valueOf(node.value, event, target);
    case 'compare': {
      const left = valueOf(node.left, event, target);
      const right = valueOf(node.right, event, target);
      if (node.op === '==') return left === right;
      if (node.op === '!=') return left !== right;
      if (typeof left !== 'number' || typeof right !== 'number') return false;
      return node.op === '>' ? left > right : node.op === '>=' ? left >= right : node.op === '<' ? left < right : left <= right;
    }
  }
}

/**
 * Whether a hook with `filter` delivers `event`: yes when no filter entry names its type, else when the entry's
 * condition evaluates to true (Okta: "True to include ... or False to prevent the event hook from activating").
 *
 * @example
 * if (!passesEventHookFilter(hook.events.filter, event)) continue;
 */
export function passesEventHookFilter(filter: EventHookFilter | null | undefined, event: OktaLogEvent): boolean {
  const entry = filter?.eventFilterMap.find((e) => e.event === event.eventType);
  if (!entry) return true;
  try {
    return truthy(evaluate(parseCondition(entry.condition.expression), event, null));
  } catch {
    // A stored filter the twin cannot read (imported state): deliver nothing for it rather than guess.
    return false;
  }
}
