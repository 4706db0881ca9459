import { copyJson } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import type { Ctx, OktaUser } from '../types.js';
import { applyGroupRules } from './group-rules.js';
import { nowIso } from './ids.js';
import { profileCauses, type ProfileCause } from './schemas.js';
import { applyCredentials, type CredentialsInput } from './user-credentials.js';
import { putUser, userByLogin } from './users.js';

function loginTaken(ctx: Ctx, login: string, exceptId: string | null): boolean {
  const owner = userByLogin(ctx, login);
  return owner !== undefined && owner.id !== exceptId;
}

/**
 * Checks a profile against its user type's schema. A problem that concerns no single property (an undefined
 * property) is summarized with the request object's name: `newUser` on create (terraform-provider-okta's
 * acceptance test expects "Api validation failed: newUser"), `userProfile` on update (okta-sdk-dotnet#152).
 */
export function checkProfile(ctx: Ctx, profile: Record<string, any>, typeId: string, exceptId: string | null, objectName: 'newUser' | 'userProfile'): void {
  const causes: ProfileCause[] = profileCauses(ctx.state, typeId, profile);
  if (causes.length === 0 && loginTaken(ctx, profile.login, exceptId)) {
    causes.push({ property: 'login', summary: 'login: An object with this field already exists in the current organization' });
  }
  if (causes.length > 0) throw new OktaError('E0000001', { detail: causes[0].property ?? objectName, causes: causes.map((cause) => cause.summary) });
}

/** The default profile always shows mobilePhone and secondEmail, null when unset. */
export function withDefaultProperties(profile: Record<string, any>): Record<string, any> {
  const out = { ...profile };
  out.mobilePhone ??= null;
  out.secondEmail ??= null;
  return out;
}

/** Saves an edit of a user's profile, type and credentials, validated whole on a copy first, so a refused edit changes nothing. */
export function saveUserEdit(ctx: Ctx, user: OktaUser, profile: Record<string, any>, credentials: CredentialsInput | undefined, typeId: string): OktaUser {
  checkProfile(ctx, profile, typeId, user.id, 'userProfile');
  const draft = copyJson(user);
  draft.profile = profile;
  draft.type = { id: typeId };
  applyCredentials(ctx, draft, credentials);
  draft.lastUpdated = nowIso(ctx);
  putUser(ctx, draft);
  applyGroupRules(ctx, draft);
  return draft;
}
