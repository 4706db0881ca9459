import { copyJson, type RecordedExchange, type SeedFromRecording } from '../../src/index.js';
import { adfParagraph, isAdfDocument } from './model/adf.js';
import type { AdfNode, JiraBoard, JiraChangeItem, JiraComment, JiraCustomField, JiraIssue, JiraProject, JiraSprint, JiraState, JiraStatus, JiraUser, JiraWorklog } from './types.js';

type Json = Record<string, any>;

/**
 * What the Jira hook returns: the state and notes, and the twin's named id counters (IdState.seq) moved past every
 * recorded numeric id. Jira's ids are numbers the twin counts up (issue 10000, 10001, ...), so a state holding recorded
 * issues must be imported with these counters, or the twin's next issue would take a recorded issue's id.
 *
 * @example
 * const { state, sequences } = seedFromRecording(exchanges, jiraTwin.seed);
 * jira.importState({ twinverse: 1, twin: 'jira', state, ids: { ...jira.exportState().ids, seq: sequences } });
 */
export type JiraSeedFromRecording = SeedFromRecording<JiraState> & { sequences: Record<string, number> };

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
/** The accountId a user reference names, or null (an unassigned issue). */
const accountOf = (user: unknown): string | null => (isObject(user) && typeof user.accountId === 'string' ? user.accountId : null);
const idOf = (value: unknown): string | undefined => (isObject(value) && (typeof value.id === 'string' || typeof value.id === 'number') ? String(value.id) : undefined);
const CATEGORIES: JiraStatus['categoryKey'][] = ['new', 'indeterminate', 'done'];
/** Custom field types the twin emulates, by the schema's `custom` key (twins/jira/model/meta.ts CUSTOM_SCHEMAS). */
const CUSTOM_TYPES: Record<string, JiraCustomField['type']> = {
  'com.atlassian.jira.plugin.system.customfieldtypes:float': 'number',
  'com.atlassian.jira.plugin.system.customfieldtypes:textfield': 'string',
  'com.atlassian.jira.plugin.system.customfieldtypes:textarea': 'doc',
};
/** Issue fields the hook reads itself; any other non-custom field of a recorded issue is left out. */
const SYSTEM_FIELDS = new Set(['summary', 'description', 'project', 'issuetype', 'status', 'priority', 'assignee', 'reporter', 'creator', 'labels', 'created', 'updated', 'statuscategorychangedate', 'resolution', 'resolutiondate', 'duedate', 'parent', 'comment', 'worklog', 'issuelinks', 'sprint', 'closedSprints', 'subtasks', 'watches', 'flagged']);
const EPOCH_ISO = '1970-01-01T00:00:00.000Z';
const EPOCH_JIRA = '1970-01-01T00:00:00.000+0000';
/** Path segments that name a resource where an id could stand (`/search/jql`, `/user/assignable/search`). */
const LITERALS = new Set(['search', 'jql', 'assignable', 'bulk', 'approximate-count', 'createmeta', 'picker']);
/** The counters of the twin's numeric ids (twins/jira: ctx.ids.sequence(name, start)) and the state that holds each kind. */
const COUNTERS = ['issue', 'comment', 'worklog', 'changelog', 'issueLink', 'project', 'board', 'sprint'] as const;

/** Rich text as the v3 API holds it: ADF as it came, a v2 API's plain text as one paragraph. */
function adf(value: unknown): AdfNode | null {
  if (isAdfDocument(value)) return copyJson(value);
  return typeof value === 'string' ? adfParagraph(value) : null;
}

/** A recorded path as the Jira API it belongs to and its segments (`['issue', 'TWIN-1', 'comment']`). */
function route(url: URL): { api: 'platform' | 'agile'; segments: string[] } | undefined {
  const path = url.pathname.replace(/\/+$/, '');
  const platform = /^\/rest\/api\/[23]\/(.+)$/.exec(path);
  if (platform) return { api: 'platform', segments: platform[1].split('/').map(decodeURIComponent) };
  const agile = /^\/rest\/agile\/1\.0\/(.+)$/.exec(path);
  return agile ? { api: 'agile', segments: agile[1].split('/').map(decodeURIComponent) } : undefined;
}

/** What the recording says of one issue so far: its fields, each from the newest answer that showed it. */
interface IssueDraft {
  id: string;
  keys: string[];
  fields: Json;
  /** Comments, worklogs and changelog histories by id, each as the newest answer that showed it. */
  comments: Map<string, Json>;
  worklogs: Map<string, Json>;
  changelog: Map<string, Json>;
  /** Who watches it, as the newest GET .../watchers showed it. */
  watchers?: string[];
  /** The statuses its transitions lead to: part of its project's workflow. */
  reachable: string[];
}

/**
 * Builds the Jira twin's starting state from a recording of the platform REST API (v3, or v2) and the Agile API:
 * users, projects, issue types, statuses, priorities, resolutions, custom fields of the kinds the twin emulates,
 * issues (from GET /issue and the search answers), with their comments, worklogs, changelogs, watchers and links,
 * and boards and sprints, added to the seed under their recorded ids. A field of an issue is taken from the newest
 * answer that shows it (a search that asked for fewer fields leaves the others as they were). `sequences` moves the
 * twin's id counters past the recorded ids; what cannot be kept is named in `notes`.
 *
 * @example
 * const { state, notes, sequences } = seedFromRecording(exchanges, structuredClone(jiraTwin.seed));
 * jira.importState({ twinverse: 1, twin: 'jira', state, ids: { ...jira.exportState().ids, seq: sequences } });
 */
export function seedFromRecording(exchanges: RecordedExchange[], seed: JiraState): JiraSeedFromRecording {
  const state = copyJson(seed);
  const notes: string[] = [];
  const notKept = new Map<string, string>();
  const drafts = new Map<string, IssueDraft>();
  const draftByKey = new Map<string, IssueDraft>();
  // Answers about an issue the recording shows only later wait here.
  const deferred: (() => void)[] = [];
  const projectStatuses = new Map<string, string[]>();
  const unknownCustom = new Set<string>();
  const recordedProjects = new Set<string>();

  const putUser = (value: any): string | null => {
    if (!isObject(value) || typeof value.accountId !== 'string') return null;
    const known = state.users[value.accountId];
    const user: JiraUser = {
      accountId: value.accountId,
      accountType: value.accountType ?? known?.accountType ?? 'atlassian',
      emailAddress: value.emailAddress ?? known?.emailAddress ?? '',
      displayName: value.displayName ?? known?.displayName ?? '',
      active: value.active ?? known?.active ?? true,
      timeZone: value.timeZone ?? known?.timeZone ?? 'Etc/UTC',
      locale: value.locale ?? known?.locale ?? 'en_US',
    };
    state.users[user.accountId] = user;
    return user.accountId;
  };
  const putStatus = (value: any): string | undefined => {
    const id = idOf(value);
    if (!id) return undefined;
    const category = value.statusCategory?.key;
    state.statuses[id] = { id, name: String(value.name ?? ''), description: String(value.description ?? ''), categoryKey: CATEGORIES.includes(category) ? category : (state.statuses[id]?.categoryKey ?? 'new') };
    return id;
  };
  const putIssueType = (value: any): string | undefined => {
    const id = idOf(value);
    if (!id) return undefined;
    const known = state.issueTypes[id];
    state.issueTypes[id] = { id, name: String(value.name ?? known?.name ?? ''), description: String(value.description ?? known?.description ?? ''), subtask: value.subtask ?? known?.subtask ?? false, hierarchyLevel: value.hierarchyLevel ?? known?.hierarchyLevel ?? (value.subtask ? -1 : 0) };
    return id;
  };
  const putPriority = (value: any): string | undefined => {
    const id = idOf(value);
    if (!id) return undefined;
    const known = state.priorities[id];
    state.priorities[id] = { id, name: String(value.name ?? known?.name ?? ''), description: String(value.description ?? known?.description ?? ''), statusColor: String(value.statusColor ?? known?.statusColor ?? '') };
    return id;
  };
  const putResolution = (value: any): string | undefined => {
    const id = idOf(value);
    if (!id) return undefined;
    state.resolutions[id] = { id, name: String(value.name ?? ''), description: String(value.description ?? state.resolutions[id]?.description ?? '') };
    return id;
  };
  const putProject = (value: any): JiraProject | undefined => {
    const id = idOf(value);
    if (!id || typeof value.key !== 'string') return undefined;
    // A seed project under a recorded id is replaced, not extended: its workflow and issue types start from what the recording shows.
    const known = recordedProjects.has(id) ? state.projects[id] : undefined;
    recordedProjects.add(id);
    const project: JiraProject = {
      id,
      key: value.key,
      name: String(value.name ?? known?.name ?? value.key),
      description: String(value.description ?? known?.description ?? ''),
      leadAccountId: putUser(value.lead) ?? known?.leadAccountId ?? '',
      projectTypeKey: value.projectTypeKey ?? known?.projectTypeKey ?? 'software',
      simplified: value.simplified ?? known?.simplified ?? false,
      issueTypeIds: Array.isArray(value.issueTypes) ? value.issueTypes.map(putIssueType).filter(Boolean) : (known?.issueTypeIds ?? []),
      statusIds: known?.statusIds ?? [],
      lastIssueNumber: known?.lastIssueNumber ?? 0,
    };
    state.projects[id] = project;
    return project;
  };
  const putIssue = (value: any) => {
    const id = idOf(value);
    if (!id) return;
    let draft = drafts.get(id);
    if (!draft) drafts.set(id, (draft = { id, keys: [], fields: {}, comments: new Map(), worklogs: new Map(), changelog: new Map(), reachable: [] }));
    if (typeof value.key === 'string') {
      draft.keys = [...draft.keys.filter((k) => k !== value.key), value.key];
      draftByKey.set(value.key, draft);
    }
    if (isObject(value.fields)) {
      Object.assign(draft.fields, copyJson(value.fields));
      absorb(value.fields);
    }
    if (isObject(value.fields?.comment)) keep(draft.comments, value.fields.comment.comments);
    if (isObject(value.fields?.worklog)) keep(draft.worklogs, value.fields.worklog.worklogs);
    if (Array.isArray(value.changelog?.histories)) {
      keep(draft.changelog, value.changelog.histories);
      authorsOf(value.changelog.histories);
    }
  };
  const keep = (into: Map<string, Json>, list: unknown) => {
    for (const record of Array.isArray(list) ? list : []) {
      const recordId = idOf(record);
      if (recordId) into.set(recordId, copyJson(record));
    }
  };
  const authorsOf = (list: unknown) => {
    for (const record of Array.isArray(list) ? list : []) {
      putUser(record?.author);
      putUser(record?.updateAuthor);
    }
  };
  // The records an issue's fields nest (its project, type, status, people, sprints) are taken as this answer shows
  // them, so that a newer answer about any of them wins whichever endpoint it came from.
  const absorb = (fields: Json) => {
    putProject(fields.project);
    putIssueType(fields.issuetype);
    putStatus(fields.status);
    putPriority(fields.priority);
    putResolution(fields.resolution);
    for (const field of ['assignee', 'reporter', 'creator']) putUser(fields[field]);
    authorsOf(fields.comment?.comments);
    authorsOf(fields.worklog?.worklogs);
    sprintsOf(fields).forEach(putSprint);
  };
  const putSprint = (value: any): JiraSprint | undefined => {
    const id = idOf(value);
    if (!id) return undefined;
    const known = state.sprints[id];
    const sprint: JiraSprint = {
      id: Number(id),
      name: String(value.name ?? known?.name ?? ''),
      state: value.state ?? known?.state ?? 'future',
      originBoardId: Number(value.originBoardId ?? value.boardId ?? known?.originBoardId ?? 0),
      goal: String(value.goal ?? known?.goal ?? ''),
      createdDate: value.createdDate ?? known?.createdDate ?? value.startDate ?? EPOCH_ISO,
      startDate: value.startDate ?? known?.startDate ?? null,
      endDate: value.endDate ?? known?.endDate ?? null,
      completeDate: value.completeDate ?? known?.completeDate ?? null,
    };
    state.sprints[id] = sprint;
    return sprint;
  };
  const putBoard = (value: any) => {
    const id = idOf(value);
    if (!id) return;
    const projectId = value.location?.projectId !== undefined ? String(value.location.projectId) : (state.boards[id]?.projectId ?? '');
    state.boards[id] = { id: Number(id), name: String(value.name ?? ''), type: value.type ?? 'scrum', projectId } as JiraBoard;
  };
  const putField = (value: any) => {
    if (!isObject(value) || typeof value.id !== 'string' || !value.custom) return;
    const type = CUSTOM_TYPES[value.schema?.custom];
    if (type) state.customFields[value.id] = { id: value.id, name: String(value.name ?? value.id), type };
  };
  // An answer about an issue named in the path (by key or id) applies now, or once the recording shows the issue.
  const draftOf = (ref: string) => drafts.get(ref) ?? draftByKey.get(ref);
  const aboutIssue = (ref: string, apply: (draft: IssueDraft) => void) => {
    const draft = draftOf(ref);
    if (draft) apply(draft);
    else deferred.push(() => {
      const later = draftOf(ref);
      if (later) apply(later);
      else notes.push(`GET /rest/api/3/issue/${ref}/...: the issue is not in the recording: not kept`);
    });
  };

  for (const exchange of exchanges) {
    const found = route(exchange.url);
    // Only reads seed the twin; a JQL search is a read whichever method carries it (jira.js sends POST /search/jql).
    const search = exchange.method === 'POST' && found?.api === 'platform' && /^search(\/jql)?$/.test(found.segments.join('/'));
    if (exchange.method !== 'GET' && !search) continue;
    const body = exchange.responseBody;
    const list = (key: string): unknown[] => (isObject(body) && Array.isArray(body[key]) ? body[key] : Array.isArray(body) ? body : []);
    if (!found) {
      notKept.set(exchange.url.pathname, 'outside the REST APIs the twin emulates');
      continue;
    }
    const [root, id, sub, subId] = found.segments;
    const shape = found.segments.map((segment, i) => (i % 2 === 1 && !LITERALS.has(segment) ? ':id' : segment)).join('/');
    const key = `${found.api}:${shape}`;
    switch (key) {
      case 'platform:myself':
      case 'platform:user':
        putUser(body);
        break;
      case 'platform:user/search':
      case 'platform:user/assignable/search':
      case 'platform:users/search':
      case 'platform:users':
        list('values').forEach(putUser);
        break;
      case 'platform:project':
      case 'platform:project/search':
        list('values').forEach(putProject);
        break;
      case 'platform:project/:id':
        putProject(body);
        break;
      case 'platform:project/:id/statuses':
        // Each issue type of the project with the statuses of its workflow.
        for (const type of Array.isArray(body) ? body : []) {
          const statuses = (Array.isArray(type?.statuses) ? type.statuses : []).map(putStatus).filter((s: string | undefined): s is string => Boolean(s));
          projectStatuses.set(id, [...new Set([...(projectStatuses.get(id) ?? []), ...statuses])]);
        }
        break;
      case 'platform:issuetype':
        list('values').forEach(putIssueType);
        break;
      case 'platform:status':
      case 'platform:statuses':
        list('values').forEach(putStatus);
        break;
      case 'platform:priority':
      case 'platform:priority/search':
        list('values').forEach(putPriority);
        break;
      case 'platform:resolution':
        list('values').forEach(putResolution);
        break;
      case 'platform:field':
        list('values').forEach(putField);
        break;
      case 'platform:issueLinkType':
        for (const type of list('issueLinkTypes')) {
          const typeId = idOf(type);
          if (typeId) state.linkTypes[typeId] = { id: typeId, name: String((type as Json).name), inward: String((type as Json).inward), outward: String((type as Json).outward) };
        }
        break;
      case 'platform:issue/:id':
        putIssue(body);
        break;
      case 'platform:search':
      case 'platform:search/jql':
      case 'agile:board/:id/issue':
      case 'agile:board/:id/backlog':
      case 'agile:sprint/:id/issue':
        list('issues').forEach(putIssue);
        break;
      case 'platform:issue/:id/comment':
      case 'platform:issue/:id/comment/:id': {
        const comments = sub !== undefined && subId !== undefined ? [body] : list('comments');
        authorsOf(comments);
        aboutIssue(id, (draft) => keep(draft.comments, comments));
        break;
      }
      case 'platform:issue/:id/worklog': {
        const worklogs = list('worklogs');
        authorsOf(worklogs);
        aboutIssue(id, (draft) => keep(draft.worklogs, worklogs));
        break;
      }
      case 'platform:issue/:id/changelog': {
        const histories = list('values');
        authorsOf(histories);
        aboutIssue(id, (draft) => keep(draft.changelog, histories));
        break;
      }
      case 'platform:issue/:id/transitions': {
        const reachable = list('transitions').map((t) => putStatus((t as Json)?.to)).filter((s): s is string => s !== undefined);
        aboutIssue(id, (draft) => void (draft.reachable = [...new Set([...draft.reachable, ...reachable])]));
        break;
      }
      case 'platform:issue/:id/watchers': {
        const watchers = list('watchers').map(putUser).filter((w): w is string => w !== null);
        aboutIssue(id, (draft) => void (draft.watchers = watchers));
        break;
      }
      case 'agile:board':
        list('values').forEach(putBoard);
        break;
      case 'agile:board/:id':
        putBoard(body);
        break;
      case 'agile:board/:id/sprint':
      case 'agile:sprint/:id':
        (root === 'sprint' ? [body] : list('values')).forEach(putSprint);
        break;
      default:
        notKept.set(`${found.api === 'agile' ? '/rest/agile/1.0' : '/rest/api/3'}/${shape.replaceAll(':id', '{id}')}`, 'the twin builds no state from it');
    }
  }

  for (const apply of deferred) apply();

  // Issues: every field from the newest answer that showed it; the nested objects become the twin's records.
  const built = new Map<string, JiraIssue>();
  for (const draft of drafts.values()) {
    const f = draft.fields;
    const key = draft.keys[draft.keys.length - 1];
    // A search that asked for a few fields shows no project or type: the key names the project, and its types and
    // workflow give the rest, as named in the notes.
    const project = state.projects[idOf(f.project) ?? ''] ?? Object.values(state.projects).find((p) => key?.startsWith(`${p.key}-`));
    const guessed: string[] = [];
    let issueTypeId = state.issueTypes[idOf(f.issuetype) ?? ''] ? idOf(f.issuetype) : undefined;
    if (!issueTypeId && project) {
      issueTypeId = project.issueTypeIds.find((t) => state.issueTypes[t] && !state.issueTypes[t].subtask) ?? Object.values(state.issueTypes).find((t) => !t.subtask)?.id;
      if (issueTypeId) guessed.push(`issue type ${state.issueTypes[issueTypeId].name}`);
    }
    let statusId = state.statuses[idOf(f.status) ?? ''] ? idOf(f.status) : undefined;
    if (!statusId && project) {
      statusId = project.statusIds[0];
      if (statusId) guessed.push(`status ${state.statuses[statusId].name}`);
    }
    if (!project || !issueTypeId || !statusId || !key) {
      notes.push(`issue ${key ?? draft.id}: no recorded answer shows its ${[!project && 'project', !issueTypeId && 'issue type', !statusId && 'status', !key && 'key'].filter(Boolean).join(', ')}: not kept`);
      continue;
    }
    if (!isObject(f.project)) guessed.unshift(`project ${project.key} (from its key)`);
    if (guessed.length) notes.push(`issue ${key}: no recorded answer shows all its fields; the twin gives it ${guessed.join(', ')}`);
    for (const reachable of draft.reachable) if (!project.statusIds.includes(reachable)) project.statusIds.push(reachable);
    if (!project.issueTypeIds.includes(issueTypeId)) project.issueTypeIds.push(issueTypeId);
    if (!project.statusIds.includes(statusId)) project.statusIds.push(statusId);
    const custom: Record<string, unknown> = {};
    let sprintId: number | null = null;
    const closedSprintIds: number[] = [];
    for (const [fieldId, value] of Object.entries(f)) {
      if (!fieldId.startsWith('customfield_') || isSprintField(value)) continue;
      if (state.customFields[fieldId]) custom[fieldId] = state.customFields[fieldId].type === 'doc' ? adf(value) : copyJson(value);
      else if (value !== null && value !== undefined) unknownCustom.add(fieldId);
    }
    // Open or closed as the newest answer about the sprint shows it.
    for (const value of sprintsOf(f)) {
      const sprint = state.sprints[idOf(value) ?? ''];
      if (!sprint) continue;
      if (sprint.state !== 'closed') sprintId = sprint.id;
      else if (!closedSprintIds.includes(sprint.id)) closedSprintIds.push(sprint.id);
    }
    const reporterId = accountOf(f.reporter) ?? accountOf(f.creator) ?? '';
    const issue: JiraIssue = {
      id: draft.id,
      key,
      projectId: project.id,
      issueTypeId,
      statusId,
      priorityId: state.priorities[idOf(f.priority) ?? ''] ? String(idOf(f.priority)) : state.defaultPriorityId,
      summary: String(f.summary ?? ''),
      description: adf(f.description),
      assigneeId: accountOf(f.assignee),
      reporterId,
      creatorId: accountOf(f.creator) ?? reporterId,
      labels: Array.isArray(f.labels) ? f.labels.map(String) : [],
      created: String(f.created ?? f.updated ?? EPOCH_JIRA),
      updated: String(f.updated ?? f.created ?? EPOCH_JIRA),
      statusCategoryChanged: String(f.statuscategorychangedate ?? f.updated ?? f.created ?? EPOCH_JIRA),
      resolutionId: idOf(f.resolution) ?? null,
      resolutionDate: f.resolutiondate ?? null,
      duedate: f.duedate ?? null,
      parentId: idOf(f.parent) ?? null,
      custom,
      watcherIds: draft.watchers ?? [],
      sprintId,
      closedSprintIds,
      comments: [...draft.comments.values()].map(storedComment).filter((c): c is JiraComment => c !== undefined).sort(byCreated),
      worklogs: [...draft.worklogs.values()].map(storedWorklog).filter((w): w is JiraWorklog => w !== undefined).sort(byCreated),
      changelog: [...draft.changelog.values()].map(storedHistory).filter((h): h is JiraIssue['changelog'][number] => h !== undefined).sort(byCreated),
    };
    state.issues[issue.id] = issue;
    for (const k of draft.keys) state.issueKeys[k] = issue.id;
    built.set(issue.id, issue);
    // Keys are never reused: the project's counter passes every key its issues have held.
    for (const k of draft.keys) {
      const number = Number(/-(\d+)$/.exec(k)?.[1] ?? 0);
      if (k.startsWith(`${project.key}-`) && number > project.lastIssueNumber) project.lastIssueNumber = number;
    }
  }

  // Links and parents name other issues: kept when those are in the state too.
  for (const draft of drafts.values()) {
    const issue = built.get(draft.id);
    if (!issue) continue;
    if (issue.parentId && !state.issues[issue.parentId]) {
      notes.push(`issue ${issue.key}: its parent ${draft.fields.parent?.key ?? issue.parentId} is not in the recording: the issue is kept without a parent`);
      issue.parentId = null;
    }
    for (const link of Array.isArray(draft.fields.issuelinks) ? draft.fields.issuelinks : []) {
      const linkId = idOf(link);
      const typeId = idOf(link?.type);
      const other = idOf(link?.outwardIssue) ?? idOf(link?.inwardIssue);
      if (!linkId || !typeId || !other) continue;
      if (!state.issues[other]) {
        notes.push(`issue link ${linkId} of ${issue.key}: the other issue is not in the recording: not kept`);
        continue;
      }
      if (!state.linkTypes[typeId]) state.linkTypes[typeId] = { id: typeId, name: String(link.type.name), inward: String(link.type.inward), outward: String(link.type.outward) };
      // An issue shows the other side of a link: its outwardIssue means this issue is the link's inward one.
      state.links[linkId] = link.outwardIssue ? { id: linkId, typeId, inwardIssueId: issue.id, outwardIssueId: other } : { id: linkId, typeId, inwardIssueId: other, outwardIssueId: issue.id };
    }
  }

  const unwatched = [...built.values()].filter((issue) => issue.watcherIds.length === 0 && Number(drafts.get(issue.id)?.fields.watches?.watchCount ?? 0) > 0);
  if (unwatched.length) notes.push(`watchers: only GET .../watchers shows who watches an issue; kept without watchers: ${unwatched.map((i) => i.key).join(', ')}`);

  // A project's workflow: the statuses its /statuses answer lists, then those its issues show; the first is where new issues start.
  for (const project of Object.values(state.projects)) {
    const listed = projectStatuses.get(project.key) ?? projectStatuses.get(project.id) ?? [];
    const all = [...new Set([...listed, ...project.statusIds])].filter((s) => state.statuses[s]);
    project.statusIds = all.sort((a, b) => CATEGORIES.indexOf(state.statuses[a].categoryKey) - CATEGORIES.indexOf(state.statuses[b].categoryKey));
    if (project.statusIds.length === 0) {
      project.statusIds = Object.keys(seed.statuses).filter((s) => state.statuses[s]);
      notes.push(`project ${project.key}: no recorded answer shows its statuses; it takes the seed's workflow (${project.statusIds.map((s) => state.statuses[s].name).join(', ')})`);
    }
    if (project.issueTypeIds.length === 0) {
      project.issueTypeIds = Object.keys(seed.issueTypes).filter((t) => state.issueTypes[t]);
      notes.push(`project ${project.key}: no recorded answer shows its issue types; it takes the seed's`);
    }
  }
  for (const board of Object.values(state.boards)) if (!state.projects[board.projectId]) notes.push(`board ${board.id}: its project is not in the recording; the board shows no location and no issues`);

  // The twin's answers carry a creation time: a record the recording shows without one gets the epoch.
  const undated = [...Object.values(state.sprints).filter((s) => s.createdDate === EPOCH_ISO).map((s) => `sprint ${s.id}`), ...[...built.values()].filter((i) => i.created === EPOCH_JIRA).map((i) => `issue ${i.key}`)];
  if (undated.length) notes.push(`${undated.join(', ')}: the recording shows no creation time; the twin shows the epoch`);
  if (Object.values(state.projects).some((p) => !seed.projects[p.id])) notes.push('workflows: transitions are not recorded; the twin lets every status of a project\'s workflow reach every other (transition ids 11, 21, 31... by position)');
  for (const fieldId of unknownCustom) notes.push(`${fieldId}: a custom field of a kind the twin does not emulate (or not shown by GET /rest/api/3/field): its values are not kept`);
  for (const [path, why] of notKept) notes.push(`GET ${path}: not kept (${why})`);
  return { state, notes, sequences: nextSequences(state) };
}

/** Whether a custom field's value is Jira Cloud's Sprint field: the sprints an issue is and was in. */
function isSprintField(value: unknown): value is Json[] {
  return Array.isArray(value) && value.length > 0 && value.every((s) => isObject(s) && 'boardId' in s && 'state' in s);
}

/** The sprints an issue's fields name: the Agile API's sprint and closedSprints, and the Sprint custom field. */
function sprintsOf(fields: Json): Json[] {
  const out: Json[] = [...(isObject(fields.sprint) ? [fields.sprint] : []), ...(Array.isArray(fields.closedSprints) ? fields.closedSprints.filter(isObject) : [])];
  for (const [fieldId, value] of Object.entries(fields)) if (fieldId.startsWith('customfield_') && isSprintField(value)) out.push(...value);
  return out;
}

/** Oldest first, as Jira lists comments, worklogs and changelog histories. */
const byCreated = (a: { created: string }, b: { created: string }) => a.created.localeCompare(b.created);

function storedComment(value: Json): JiraComment | undefined {
  const id = idOf(value);
  if (!id) return undefined;
  const authorId = accountOf(value.author) ?? '';
  return { id, authorId, updateAuthorId: accountOf(value.updateAuthor) ?? authorId, body: adf(value.body) ?? adfParagraph(''), created: String(value.created ?? ''), updated: String(value.updated ?? value.created ?? '') };
}

function storedWorklog(value: Json): JiraWorklog | undefined {
  const id = idOf(value);
  if (!id) return undefined;
  const authorId = accountOf(value.author) ?? '';
  return {
    id,
    authorId,
    updateAuthorId: accountOf(value.updateAuthor) ?? authorId,
    comment: adf(value.comment),
    started: String(value.started ?? value.created ?? ''),
    timeSpentSeconds: Number(value.timeSpentSeconds ?? 0),
    created: String(value.created ?? ''),
    updated: String(value.updated ?? value.created ?? ''),
  };
}

function storedHistory(value: Json): JiraIssue['changelog'][number] | undefined {
  const id = idOf(value);
  if (!id) return undefined;
  const items: JiraChangeItem[] = (Array.isArray(value.items) ? value.items : []).map((item: Json) => ({
    field: String(item.field ?? ''),
    fieldId: String(item.fieldId ?? item.field ?? ''),
    fieldtype: String(item.fieldtype ?? 'jira'),
    from: item.from ?? null,
    fromString: item.fromString ?? null,
    to: item.to ?? null,
    // `toString` is also every object's method: only a string the recording holds counts.
    toString: typeof item['toString'] === 'string' ? String(item['toString']) : null,
  }));
  return { id, authorId: accountOf(value.author) ?? '', created: String(value.created ?? ''), items };
}

/** The next value of each id counter: one past the largest numeric id the state holds of that kind. */
function nextSequences(state: JiraState): Record<string, number> {
  const issues = Object.values(state.issues);
  const ids: Record<(typeof COUNTERS)[number], (string | number)[]> = {
    issue: Object.keys(state.issues),
    comment: issues.flatMap((i) => i.comments.map((c) => c.id)),
    worklog: issues.flatMap((i) => i.worklogs.map((w) => w.id)),
    changelog: issues.flatMap((i) => i.changelog.map((h) => h.id)),
    issueLink: Object.keys(state.links),
    project: Object.keys(state.projects),
    board: Object.keys(state.boards),
    sprint: Object.keys(state.sprints),
  };
  const sequences: Record<string, number> = {};
  for (const name of COUNTERS) {
    const numbers = ids[name].map(Number).filter(Number.isSafeInteger);
    if (numbers.length) sequences[name] = Math.max(...numbers) + 1;
  }
  return sequences;
}
