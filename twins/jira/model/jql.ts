import { badRequest } from '../errors.js';
import type { JiraIssue, RequestCtx } from '../types.js';
import { adfText } from './adf.js';
import { jiraTime } from './format.js';
import { parseJql, type Condition, type JqlQuery, type Operand, type Operator } from './jql-parser.js';
import { STATUS_CATEGORIES } from './meta.js';

/** A compiled query: which issues match, in which order, and whether it restricts the search at all (Jira's "bounded"). */
export interface CompiledJql {
  matches: (issue: JiraIssue) => boolean;
  compare: (a: JiraIssue, b: JiraIssue) => number;
  bounded: boolean;
}

type Match = (issue: JiraIssue) => boolean;
/** What an operand resolves to: values (ids, accountIds, timestamps), with null for EMPTY. */
type Values = (string | number | null)[];
/** What an issue holds in a field: one value, none (null), or several (labels, sprints). */
type Held = string | number | null | (string | number)[];

interface Env {
  ctx: RequestCtx;
  accountId: string;
  nowMs: number;
}

/** How one JQL field is read, and how its operands resolve. */
interface FieldKind {
  /** The name Jira uses for the field in its messages. */
  name: string;
  operators: Operator[];
  /** The issue's value of the field: one, none (null), or several; read once per issue per clause, so allocation-free where it can be. */
  read(issue: JiraIssue, env: Env): Held;
  /** A value as written in the query, resolved (refused with Jira's error when it names nothing). */
  resolve?(text: string, env: Env): Values;
  /** The functions the field takes. */
  functions?: Record<string, (args: string[], env: Env) => Values>;
  /** Text fields: `~` matches words. */
  text?: boolean;
}

const REF_OPERATORS: Operator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERED_OPERATORS: Operator[] = [...REF_OPERATORS, '<', '<=', '>', '>='];
const TEXT_OPERATORS: Operator[] = ['~', '!~', 'is', 'is not'];

const noValue = (field: string, text: string) => badRequest(`The value '${text}' does not exist for the field '${field}'.`);

/** Resolves a value against named records: by id, or by name (any case). */
function byIdOrName(field: string, records: Record<string, { id: string; name: string }>): (text: string) => Values {
  return (text) => {
    const lower = text.toLowerCase();
    const found = Object.values(records).filter((r) => r.id === text || r.name.toLowerCase() === lower).map((r) => r.id);
    if (found.length === 0) throw noValue(field, text);
    return found;
  };
}

const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { w: 7 * DAY, d: DAY, h: 3_600_000, m: 60_000 };

/** A JQL date: `yyyy-MM-dd` or `yyyy/MM/dd` (with ` HH:mm`), or a period from now (`-7d`, `4w 2d`); undefined if neither. */
function parseDate(text: string, nowMs: number): number | undefined {
  const absolute = text.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/);
  if (absolute) {
    const [, y, mo, d, h = '0', mi = '0'] = absolute;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  }
  const period = text.trim().match(/^([+-]?)((?:\d+[wdhm]\s*)+)$/);
  if (!period) return undefined;
  let ms = 0;
  for (const [, n, unit] of period[2].matchAll(/(\d+)([wdhm])/g)) ms += Number(n) * UNIT_MS[unit];
  return nowMs + (period[1] === '-' ? -ms : ms);
}

/** Start of the UTC day, week (Sunday, as Jira's default locale starts it), month or year holding `ms`. */
function startOf(unit: 'day' | 'week' | 'month' | 'year', ms: number): number {
  const d = new Date(ms);
  if (unit === 'year') return Date.UTC(d.getUTCFullYear(), 0, 1);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return unit === 'day' ? day : day - d.getUTCDay() * DAY;
}

/** Adds `n` units (or an increment like "-1d" in another unit) to an instant. */
function shift(unit: 'day' | 'week' | 'month' | 'year', ms: number, arg: string | undefined): number {
  if (!arg) return ms;
  const m = arg.trim().match(/^([+-]?\d+)([dwMy])?$/);
  if (!m) throw badRequest(`The increment '${arg}' is not valid.`);
  const n = Number(m[1]);
  const by = m[2] === 'd' ? 'day' : m[2] === 'w' ? 'week' : m[2] === 'M' ? 'month' : m[2] === 'y' ? 'year' : unit;
  const d = new Date(ms);
  if (by === 'day') return ms + n * DAY;
  if (by === 'week') return ms + n * 7 * DAY;
  if (by === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
  return Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
}

/** now(), and startOfDay() to endOfYear(), each taking an optional increment (`startOfDay(-1)`, `endOfMonth("+1w")`). */
const DATE_FUNCTIONS: Record<string, (args: string[], env: Env) => Values> = { now: (_a, env) => [jiraTime(env.nowMs)] };
for (const unit of ['day', 'week', 'month', 'year'] as const) {
  const title = unit[0].toUpperCase() + unit.slice(1);
  DATE_FUNCTIONS[`startOf${title}`] = (args, env) => [jiraTime(shift(unit, startOf(unit, env.nowMs), args[0]))];
  DATE_FUNCTIONS[`endOf${title}`] = (args, env) => [jiraTime(shift(unit, shift(unit, startOf(unit, env.nowMs), '1') - 1, args[0]))];
}

/** A date field. Values are Jira timestamps, all in UTC and one format, so they compare as strings in time order. */
function dateField(name: string, read: (issue: JiraIssue) => string | null): FieldKind {
  return {
    name,
    operators: ORDERED_OPERATORS,
    read,
    resolve: (text, env) => {
      const ms = parseDate(text, env.nowMs);
      if (ms === undefined) {
        throw badRequest(`Date value '${text}' for field '${name}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
      }
      return [jiraTime(ms)];
    },
    functions: DATE_FUNCTIONS,
  };
}

function userField(name: string, read: (issue: JiraIssue) => string | null): FieldKind {
  return {
    name,
    operators: REF_OPERATORS,
    read,
    resolve: (text, env) => {
      const lower = text.toLowerCase();
      const found = Object.values(env.ctx.state.users).filter((u) => u.accountId === text || u.emailAddress.toLowerCase() === lower || u.displayName.toLowerCase() === lower);
      if (found.length === 0) throw noValue(name, text);
      return found.map((u) => u.accountId);
    },
    functions: { currentUser: (_a, env) => [env.accountId] },
  };
}

function issueRefField(name: string, read: (issue: JiraIssue) => string | null, orderable: boolean): FieldKind {
  return {
    name,
    operators: orderable ? ORDERED_OPERATORS : REF_OPERATORS,
    read,
    resolve: (text, env) => {
      const id = /^\d+$/.test(text) ? (env.ctx.state.issues[text] ? text : undefined) : env.ctx.state.issueKeys[text.toUpperCase()];
      if (id === undefined) {
        if (/^\d+$/.test(text)) throw badRequest(`An issue with id '${text}' does not exist for field '${name}'.`);
        if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(text)) throw badRequest(`The issue key '${text}' for field '${name}' is invalid.`);
        throw badRequest(`An issue with key '${text}' does not exist for field '${name}'.`);
      }
      return [id];
    },
  };
}

function textField(name: string, read: (issue: JiraIssue, env: Env) => string): FieldKind {
  return { name, operators: TEXT_OPERATORS, read: (issue, env) => read(issue, env) || null, text: true };
}

/** The fields JQL knows, by every name Jira takes for them (lower case); custom fields are added per query. */
const FIELDS: Record<string, FieldKind> = Object.create(null);
const define = (names: string[], kind: FieldKind) => names.forEach((n) => (FIELDS[n] = kind));

define(['project'], {
  name: 'project',
  operators: REF_OPERATORS,
  read: (issue) => issue.projectId,
  resolve: (text, env) => {
    const upper = text.toUpperCase();
    const found = Object.values(env.ctx.state.projects).filter((p) => p.id === text || p.key === upper || p.name.toLowerCase() === text.toLowerCase());
    if (found.length === 0) throw noValue('project', text);
    return found.map((p) => p.id);
  },
});
define(['key', 'issuekey', 'issue', 'id'], issueRefField('key', (issue) => issue.id, true));
define(['parent'], issueRefField('parent', (issue) => issue.parentId, false));
define(['status'], { name: 'status', operators: REF_OPERATORS, read: (issue) => issue.statusId, resolve: (text, env) => byIdOrName('status', env.ctx.state.statuses)(text) });
define(['statuscategory', 'category'], {
  name: 'statusCategory',
  operators: REF_OPERATORS,
  read: (issue, env) => env.ctx.state.statuses[issue.statusId].categoryKey,
  resolve: (text) => {
    const lower = text.toLowerCase();
    const found = Object.values(STATUS_CATEGORIES).find((c) => c.key === lower || c.name.toLowerCase() === lower || String(c.id) === text);
    if (!found) throw noValue('statusCategory', text);
    return [found.key];
  },
});
define(['issuetype', 'type'], { name: 'issuetype', operators: REF_OPERATORS, read: (issue) => issue.issueTypeId, resolve: (text, env) => byIdOrName('issuetype', env.ctx.state.issueTypes)(text) });
define(['priority'], { name: 'priority', operators: [...REF_OPERATORS, '<', '<=', '>', '>='], read: (issue) => issue.priorityId, resolve: (text, env) => byIdOrName('priority', env.ctx.state.priorities)(text) });
define(['resolution'], {
  name: 'resolution',
  operators: REF_OPERATORS,
  read: (issue) => issue.resolutionId,
  // "Unresolved" is JQL's word for no resolution.
  resolve: (text, env) => (text.toLowerCase() === 'unresolved' ? [null] : byIdOrName('resolution', env.ctx.state.resolutions)(text)),
});
define(['assignee'], userField('assignee', (issue) => issue.assigneeId));
define(['reporter'], userField('reporter', (issue) => issue.reporterId));
define(['creator'], userField('creator', (issue) => issue.creatorId));
define(['labels'], { name: 'labels', operators: REF_OPERATORS, read: (issue) => issue.labels, resolve: (text) => [text] });
define(['summary'], textField('summary', (issue) => issue.summary));
define(['description'], textField('description', (issue) => adfText(issue.description)));
define(['comment'], textField('comment', (issue) => issue.comments.map((c) => adfText(c.body)).join('\n')));
define(['text'], {
  ...textField('text', (issue, env) =>
    [issue.summary, adfText(issue.description), ...issue.comments.map((c) => adfText(c.body)), ...Object.entries(issue.custom).filter(([id]) => env.ctx.state.customFields[id]?.type !== 'number').map(([, v]) => (typeof v === 'string' ? v : adfText(v as never)))].join('\n'),
  ),
  operators: ['~', '!~'],
});
define(['created', 'createddate'], dateField('created', (issue) => issue.created));
define(['updated', 'updateddate'], dateField('updated', (issue) => issue.updated));
define(['resolved', 'resolutiondate'], dateField('resolved', (issue) => issue.resolutionDate));
define(['due', 'duedate'], dateField('due', (issue) => (issue.duedate ? `${issue.duedate}T00:00:00.000+0000` : null)));
define(['sprint'], {
  name: 'sprint',
  operators: REF_OPERATORS,
  read: (issue) => (issue.sprintId === null ? issue.closedSprintIds : [issue.sprintId, ...issue.closedSprintIds]),
  resolve: (text, env) => {
    const found = Object.values(env.ctx.state.sprints).filter((s) => String(s.id) === text || s.name.toLowerCase() === text.toLowerCase());
    if (found.length === 0) throw noValue('sprint', text);
    return found.map((s) => s.id);
  },
  functions: {
    openSprints: (_a, env) => Object.values(env.ctx.state.sprints).filter((s) => s.state !== 'closed').map((s) => s.id),
    closedSprints: (_a, env) => Object.values(env.ctx.state.sprints).filter((s) => s.state === 'closed').map((s) => s.id),
    futureSprints: (_a, env) => Object.values(env.ctx.state.sprints).filter((s) => s.state === 'future').map((s) => s.id),
  },
});

/** The field a query names: a system field by any of its names, or a custom field by `cf[id]` or by its name. */
function fieldOf(ctx: RequestCtx, written: string): FieldKind | undefined {
  const lower = written.toLowerCase();
  if (FIELDS[lower]) return FIELDS[lower];
  const cf = lower.match(/^cf\[(\d+)\]$/);
  const custom = cf ? ctx.state.customFields[`customfield_${cf[1]}`] : Object.values(ctx.state.customFields).find((f) => f.name.toLowerCase() === lower || f.id === lower);
  if (!custom) return undefined;
  if (custom.type === 'number') {
    return {
      name: custom.name,
      operators: ORDERED_OPERATORS,
      read: (issue) => (issue.custom[custom.id] as number | undefined) ?? null,
      resolve: (text) => {
        if (!/^-?\d+(\.\d+)?$/.test(text)) throw badRequest(`The value '${text}' for field '${custom.name}' is invalid. Please specify a valid number.`);
        return [Number(text)];
      },
    };
  }
  return textField(custom.name, (issue) => {
    const value = issue.custom[custom.id];
    return typeof value === 'string' ? value : adfText(value as never);
  });
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A `~` query. Jira matches words, and a word's stem: the twin matches word prefixes (a trailing `*` is a wildcard).
 * A quoted phrase must appear as is, words in order. Terms are letters and digits only (punctuation separates words,
 * as Jira's index does), each one regular expression tested against the text: nothing is allocated per issue.
 */
function textMatcher(query: string): (text: string) => boolean {
  const trimmed = query.trim();
  const phrase = trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const terms = (phrase ? trimmed.slice(1, -1) : trimmed).match(WORD) ?? [];
  const start = '(?<![\\p{L}\\p{N}])';
  const patterns = phrase ? [new RegExp(start + terms.join('[^\\p{L}\\p{N}]+') + '(?![\\p{L}\\p{N}])', 'iu')] : terms.map((term) => new RegExp(start + term, 'iu'));
  return (text) => patterns.every((pattern) => pattern.test(text));
}

/** What an operand resolves to for a field: values, functions' results and EMPTY (null). */
function valuesOf(kind: FieldKind, operand: Operand, env: Env): Values {
  if (operand.kind === 'empty') return [null];
  if (operand.kind === 'list') return operand.items.flatMap((item) => valuesOf(kind, item, env));
  if (operand.kind === 'function') {
    const fn = Object.entries(kind.functions ?? {}).find(([name]) => name.toLowerCase() === operand.name.toLowerCase())?.[1];
    if (!fn) {
      const known = [...Object.keys(DATE_FUNCTIONS), 'currentUser', 'openSprints', 'closedSprints', 'futureSprints'];
      if (!known.some((name) => name.toLowerCase() === operand.name.toLowerCase())) throw badRequest(`Unable to find JQL function '${operand.name}(${operand.args.join(', ')})'.`);
      throw badRequest(`The function '${operand.name}' is not supported by the '${kind.name}' field.`);
    }
    return fn(operand.args, env);
  }
  return kind.resolve ? kind.resolve(operand.text, env) : [operand.text];
}

function compileClause(clause: Extract<Condition, { kind: 'clause' }>, env: Env): Match {
  const kind = fieldOf(env.ctx, clause.field);
  if (!kind) throw badRequest(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
  const op = clause.operator;
  if (!kind.operators.includes(op)) throw badRequest(`The operator '${op.toUpperCase()}' is not supported by the '${kind.name}' field.`);
  const read = (issue: JiraIssue) => kind.read(issue, env);
  if (op === 'is') return (issue) => isEmpty(read(issue));
  if (op === 'is not') return (issue) => !isEmpty(read(issue));
  if (kind.text) {
    if (clause.operand.kind !== 'value') throw badRequest(`The operator '${op.toUpperCase()}' is not supported by the '${kind.name}' field with a list or function.`);
    const matches = textMatcher(clause.operand.text);
    const found = (issue: JiraIssue) => {
      const text = read(issue);
      return typeof text === 'string' && matches(text);
    };
    return op === '~' ? found : (issue) => !found(issue);
  }
  const values = valuesOf(kind, clause.operand, env);
  const wanted = new Set(values.filter((v) => v !== null));
  const emptyWanted = values.includes(null);
  const held = (value: string | number) => wanted.has(value);
  const positive: Match = (issue) => {
    const have = read(issue);
    return isEmpty(have) ? emptyWanted : some(have, held);
  };
  if (op === '=' || op === 'in') return positive;
  // Jira: a negative operator does not match an issue whose field is empty ("assignee != x" leaves out unassigned issues).
  if (op === '!=' || op === 'not in') {
    return (issue) => {
      const have = read(issue);
      return !isEmpty(have) && !some(have, held);
    };
  }
  // Orderings: keys by their number within the key's project; priorities by rank (Highest is greatest); others by value.
  const bound = [...wanted][0];
  if (bound === undefined) return () => false;
  const issues = env.ctx.state.issues;
  const keyNumber = (id: string | number) => Number(issues[String(id)].key.slice(issues[String(id)].key.lastIndexOf('-') + 1));
  const rank = (v: string | number): string | number => (kind.name === 'key' ? keyNumber(v) : kind.name === 'priority' ? -Number(v) : v);
  const target = rank(bound);
  const sameProject = kind.name === 'key' ? issues[String(bound)].projectId : undefined;
  const test = { '<': (a: string | number) => a < target, '<=': (a: string | number) => a <= target, '>': (a: string | number) => a > target, '>=': (a: string | number) => a >= target }[op as '<' | '<=' | '>' | '>='];
  const ordered = (value: string | number) => test(rank(value));
  return (issue) => (sameProject === undefined || issue.projectId === sameProject) && some(read(issue), ordered);
}

const isEmpty = (held: Held) => held === null || (Array.isArray(held) && held.length === 0);
/** Whether one value held passes `test` (none does for an empty field). */
const some = (held: Held, test: (value: string | number) => boolean) => (Array.isArray(held) ? held.some(test) : held !== null && test(held));

function compileCondition(condition: Condition, env: Env): Match {
  if (condition.kind === 'clause') return compileClause(condition, env);
  if (condition.kind === 'not') {
    const part = compileCondition(condition.part, env);
    return (issue) => !part(issue);
  }
  const parts = condition.parts.map((p) => compileCondition(p, env));
  return condition.kind === 'and' ? (issue) => parts.every((p) => p(issue)) : (issue) => parts.some((p) => p(issue));
}

/** A sort key of an issue for one ORDER BY field; undefined sorts last. */
function sortKey(ctx: RequestCtx, written: string): ((issue: JiraIssue) => string | number | undefined) | undefined {
  const { state } = ctx;
  const priorityRank = Object.keys(state.priorities);
  const statusRank = Object.keys(state.statuses);
  type Key = (issue: JiraIssue) => string | number | undefined;
  const keys = new Map<string, Key>([
    ['key', (issue) => Number(issue.id)],
    ['created', (issue) => issue.created],
    ['updated', (issue) => issue.updated],
    ['resolved', (issue) => issue.resolutionDate ?? undefined],
    ['due', (issue) => issue.duedate ?? undefined],
    ['priority', (issue) => priorityRank.length - priorityRank.indexOf(issue.priorityId)],
    ['status', (issue) => statusRank.indexOf(issue.statusId)],
    ['summary', (issue) => issue.summary.toLowerCase()],
    ['assignee', (issue) => (issue.assigneeId ? state.users[issue.assigneeId]?.displayName.toLowerCase() : undefined)],
    ['reporter', (issue) => state.users[issue.reporterId]?.displayName.toLowerCase()],
    ['issuetype', (issue) => state.issueTypes[issue.issueTypeId].name.toLowerCase()],
    ['project', (issue) => state.projects[issue.projectId]?.key],
  ]);
  const alias = new Map([['id', 'key'], ['issuekey', 'key'], ['issue', 'key'], ['createddate', 'created'], ['updateddate', 'updated'], ['resolutiondate', 'resolved'], ['duedate', 'due'], ['type', 'issuetype']]);
  const lower = written.toLowerCase();
  const known = keys.get(alias.get(lower) ?? lower);
  if (known) return known;
  const custom = fieldOf(ctx, written);
  if (custom && !custom.text && !FIELDS[lower]) return (issue) => (custom.read(issue, { ctx, accountId: '', nowMs: 0 }) as number | null) ?? undefined;
  return undefined;
}

function compileOrder(query: JqlQuery, ctx: RequestCtx): (a: JiraIssue, b: JiraIssue) => number {
  // No ORDER BY: Jira's API reference names no default order; the twin lists newest first (ORDER BY created DESC).
  const order = query.orderBy.length ? query.orderBy : [{ field: 'created', at: 0, direction: 'desc' as const }];
  const keys = order.map(({ field, direction }) => {
    const key = sortKey(ctx, field);
    if (!key) throw badRequest(`Not able to sort using field '${field}'.`);
    return { key, sign: direction === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const x = key(a);
      const y = key(b);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return (Number(a.id) - Number(b.id)) * (keys[0]?.sign ?? 1);
  };
}

const PARSED_LIMIT = 500;

/**
 * Parses (once per distinct query, per twin) and compiles a JQL query for one request: values resolve against the
 * current state, currentUser() is the caller and relative dates count from the twin's clock. Errors are Jira's 400s.
 *
 * @example
 * const { matches, compare } = compileJql(ctx, 'project = TWIN AND assignee = currentUser() ORDER BY key', accountId);
 */
export function compileJql(ctx: RequestCtx, jql: string, accountId: string): CompiledJql {
  const parsed = ctx.memo('jqlParsed', () => new Map<string, JqlQuery>());
  let query = parsed.get(jql);
  if (!query) {
    query = parseJql(jql);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(jql, query);
  }
  const env: Env = { ctx, accountId, nowMs: ctx.clock.nowMs() };
  return {
    matches: query.where ? compileCondition(query.where, env) : () => true,
    compare: compileOrder(query, ctx),
    bounded: query.where !== undefined,
  };
}
