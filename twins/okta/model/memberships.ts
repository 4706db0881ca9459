import type { OktaState, OktaUser, RequestCtx } from '../types.js';
import { nowIso } from './ids.js';
import { groupTarget, logEvent, userTarget } from './system-log.js';

/** The members of a group that still exist, in the order they were added. */
export function groupMembers(state: OktaState, groupId: string): OktaUser[] {
  return (state.groupMembers[groupId] ?? []).map((id) => state.users[id]).filter((user): user is OktaUser => user !== undefined);
}

/** Whether the user is a member of the group. */
export function isMember(state: OktaState, groupId: string, userId: string): boolean {
  return (state.groupMembers[groupId] ?? []).includes(userId);
}

/** Adds a user to a group (once); lastMembershipUpdated moves only when the members change. */
export function addMember(ctx: RequestCtx, groupId: string, userId: string, newUser = false): void {
  const group = ctx.state.groups[groupId];
  if (!group) return;
  const members = (ctx.state.groupMembers[groupId] ??= []);
  // A user created a moment ago is in no group yet: no need to scan large groups such as Everyone.
  if (!newUser && members.includes(userId)) return;
  members.push(userId);
  group.lastMembershipUpdated = nowIso(ctx);
  logMembership(ctx, 'group.user_membership.add', 'Add user to group membership', groupId, userId);
}

/** Removes a user from a group's members; lastMembershipUpdated moves only when the members change. */
export function removeMember(ctx: RequestCtx, groupId: string, userId: string): void {
  const members = ctx.state.groupMembers[groupId] ?? [];
  const index = members.indexOf(userId);
  if (index < 0) return;
  members.splice(index, 1);
  const group = ctx.state.groups[groupId];
  if (group) group.lastMembershipUpdated = nowIso(ctx);
  logMembership(ctx, 'group.user_membership.remove', 'Remove user from group membership', groupId, userId);
}

/** Okta logs membership changes of the groups an org manages; Everyone (BUILT_IN) follows the users silently. */
function logMembership(ctx: RequestCtx, eventType: string, displayMessage: string, groupId: string, userId: string): void {
  const group = ctx.state.groups[groupId];
  const user = ctx.state.users[userId];
  if (!group || !user || group.type === 'BUILT_IN') return;
  logEvent(ctx, { eventType, displayMessage, target: [userTarget(user), groupTarget(group)] });
}
