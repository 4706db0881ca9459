import { createRecord, secretToken, type HandlerResult } from '../../../src/index.js';
import { OktaError } from '../errors.js';
import type { AuthnTransaction, Ctx, FactorType, OktaFactor, OktaState, OktaUser, RecoveryTokenRecord } from '../types.js';
import { enrollmentRefusal, factorEnabled } from './authenticators.js';
import { CATALOG, factorsOf } from './factors.js';
import { nowIso } from './ids.js';
import { factorEnrollment, passwordAgedOut, passwordRuleActions, passwordSettings, signOnActions } from './policies.js';
import { issueSessionToken } from './sessions.js';
import { logEvent, userTarget } from './system-log.js';
import { setStatus } from './user-lifecycle.js';

/** How long a state token lives (Okta's Authentication API, "Transaction object": expiresAt). */
const TRANSACTION_SECONDS = 300;

/**
 * What each factor type adds to a session's `amr` once verified.
 *
 * @example
 * FACTOR_AMR.question; // 'kba'
 */
export const FACTOR_AMR: Record<string, string> = { question: 'kba', 'token:software:totp': 'otp', sms: 'sms', call: 'tel', email: 'email', push: 'swk' };

const transactions = (state: OktaState) => (state.authnTransactions ??= createRecord());
const recoveryTokens = (state: OktaState) => (state.recoveryTokens ??= createRecord());

function later(ctx: Ctx, seconds: number): string {
  return new Date(ctx.clock.now().getTime() + seconds * 1000).toISOString();
}

function link(href: string, name?: string) {
  return { ...(name ? { name } : {}), href, hints: { allow: ['POST'] } };
}

/** The user as a transaction embeds it (Okta's Authentication API, "User object"). */
function embeddedUser(user: OktaUser, withQuestion = false): Record<string, unknown> {
  return {
    id: user.id,
    passwordChanged: user.passwordChanged,
    profile: { login: user.profile.login, firstName: user.profile.firstName ?? null, lastName: user.profile.lastName ?? null, locale: 'en_US', timeZone: 'America/Los_Angeles' },
    ...(withQuestion && user.recoveryQuestion ? { recovery_question: { question: user.recoveryQuestion.question } } : {}),
  };
}

/** The password policy a PASSWORD_EXPIRED or PASSWORD_RESET transaction embeds, so a client can show its rules. */
function embeddedPolicy(ctx: Ctx, user: OktaUser): Record<string, unknown> {
  const { complexity, age } = passwordSettings(ctx.state, user);
  return { complexity: { ...complexity, excludeAttributes: [...complexity.excludeAttributes] }, age: { minAgeMinutes: age.minAgeMinutes, historyCount: age.historyCount } };
}

/**
 * Starts a transaction under a new state token, or moves the one `stateToken` names to a new status: Okta keeps one
 * state token for a whole transaction, and each step renews its expiry.
 */
function save(ctx: Ctx, user: OktaUser, fields: Partial<AuthnTransaction> & { status: string }, stateToken?: string): string {
  const token = stateToken ?? '00' + secretToken(ctx, 40);
  const previous = stateToken ? transactions(ctx.state)[stateToken] : undefined;
  transactions(ctx.state)[token] = {
    amr: previous?.amr ?? [],
    passwordVerifiedAt: previous?.passwordVerifiedAt ?? null,
    ...(previous?.relayState !== undefined ? { relayState: previous.relayState } : {}),
    ...(previous?.recoveryType ? { recoveryType: previous.recoveryType } : {}),
    ...fields,
    userId: user.id,
    expiresAt: later(ctx, TRANSACTION_SECONDS),
  };
  return token;
}

/**
 * The live transaction a state token names, or Okta's 401 E0000011 (an unknown, spent or expired state token).
 *
 * @example
 * const { tx, user } = requireTransaction(ctx, ctx.body.stateToken, ['MFA_REQUIRED', 'MFA_CHALLENGE']);
 */
export function requireTransaction(ctx: Ctx, stateToken: unknown, statuses: string[]): { tx: AuthnTransaction; user: OktaUser; stateToken: string } {
  const store = transactions(ctx.state);
  const tx = typeof stateToken === 'string' && Object.hasOwn(store, stateToken) ? store[stateToken] : undefined;
  const user = tx ? ctx.state.users[tx.userId] : undefined;
  if (!tx || !user || ctx.clock.now().getTime() >= Date.parse(tx.expiresAt)) throw new OktaError('E0000011');
  if (!statuses.includes(tx.status)) throw new OktaError('E0000079');
  return { tx, user, stateToken: stateToken as string };
}

/**
 * Ends a transaction (its state token stops working).
 *
 * @example
 * endTransaction(ctx, stateToken);
 */
export function endTransaction(ctx: Ctx, stateToken: string): void {
  delete transactions(ctx.state)[stateToken];
}

/**
 * The factors a user may verify at sign-in: ACTIVE, and their authenticator enabled.
 *
 * @example
 * const mfaRequired = verifiableFactors(ctx, user).length > 0;
 */
export function verifiableFactors(ctx: Ctx, user: OktaUser): OktaFactor[] {
  return factorsOf(ctx.state, user.id).filter((f) => f.status === 'ACTIVE' && factorEnabled(ctx.state, f.factorType, f.provider));
}

/**
 * A factor as a transaction lists it, with the link that verifies it (or enrolls it, for MFA_ENROLL).
 *
 * @example
 * const factors = verifiableFactors(ctx, user).map((f) => transactionFactor(ctx, f));
 */
export function transactionFactor(ctx: Ctx, factor: Pick<OktaFactor, 'factorType' | 'provider' | 'vendorName'> & Partial<OktaFactor>): Record<string, unknown> {
  if (!factor.id) {
    return { factorType: factor.factorType, provider: factor.provider, vendorName: factor.vendorName, status: 'NOT_SETUP', _links: { enroll: link(`${ctx.baseUrl}/api/v1/authn/factors`) } };
  }
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.vendorName,
    profile: factor.factorType === 'question' ? { question: factor.profile?.question, questionText: factor.profile?.questionText } : { ...factor.profile },
    _links: { verify: link(`${ctx.baseUrl}/api/v1/authn/factors/${factor.id}/verify`) },
  };
}

/** The links every open transaction carries: cancel. */
function cancel(ctx: Ctx) {
  return { cancel: link(`${ctx.baseUrl}/api/v1/authn/cancel`) };
}

/**
 * The answer for a transaction in a status that waits on the user: its state token, expiry, user and links.
 *
 * @example
 * return transactionResult(ctx, user, stateToken, { _links: { next: ... } });
 */
export function transactionResult(ctx: Ctx, user: OktaUser, stateToken: string, extra: Record<string, any> = {}): HandlerResult {
  const tx = transactions(ctx.state)[stateToken];
  const { _embedded, _links, ...fields } = extra;
  return {
    status: 200,
    body: {
      stateToken,
      expiresAt: tx.expiresAt,
      status: tx.status,
      ...(tx.relayState !== undefined ? { relayState: tx.relayState } : {}),
      ...(tx.recoveryType ? { recoveryType: tx.recoveryType } : {}),
      ...fields,
      _embedded: { user: embeddedUser(user, tx.status === 'RECOVERY'), ..._embedded },
      _links: { ..._links, ...cancel(ctx) },
    },
  };
}

/**
 * Finishes a sign-in: a one-time session token, the user's last login, and Okta's user.session.start event.
 *
 * @example
 * return succeed(ctx, user, { amr: ['pwd'], passwordVerifiedAt: nowIso(ctx) });
 */
export function succeed(ctx: Ctx, user: OktaUser, how: { amr: string[]; passwordVerifiedAt: string | null; relayState?: string }, stateToken?: string): HandlerResult {
  if (stateToken) endTransaction(ctx, stateToken);
  const now = nowIso(ctx);
  const factorVerifiedAt = how.amr.includes('mfa') ? now : null;
  const sessionToken = issueSessionToken(ctx, user, how.amr, how.passwordVerifiedAt ?? now, factorVerifiedAt);
  user.lastLogin = now;
  clearFailures(ctx, user);
  logEvent(ctx, { eventType: 'user.session.start', displayMessage: 'User login to Okta', actor: userTarget(user), legacyEventType: 'core.user_auth.login_success' });
  return {
    status: 200,
    body: {
      expiresAt: later(ctx, TRANSACTION_SECONDS),
      status: 'SUCCESS',
      ...(how.relayState !== undefined ? { relayState: how.relayState } : {}),
      sessionToken,
      _embedded: { user: embeddedUser(user) },
    },
  };
}

/**
 * What comes after the password is verified (or changed): the sign-on rule decides whether a factor is needed.
 * A user with an ACTIVE factor is asked for it (MFA_REQUIRED); a rule that requires a factor sends a user without
 * one to enroll (MFA_ENROLL); otherwise the sign-in succeeds.
 *
 * @example
 * return afterPassword(ctx, user, { amr: ['pwd'], passwordVerifiedAt: nowIso(ctx) });
 */
export function afterPassword(ctx: Ctx, user: OktaUser, how: { amr: string[]; passwordVerifiedAt: string; relayState?: string }, stateToken?: string): HandlerResult {
  const factors = verifiableFactors(ctx, user);
  const fields = { amr: how.amr, passwordVerifiedAt: how.passwordVerifiedAt, ...(how.relayState !== undefined ? { relayState: how.relayState } : {}) };
  if (factors.length > 0) {
    const token = save(ctx, user, { ...fields, status: 'MFA_REQUIRED' }, stateToken);
    return transactionResult(ctx, user, token, {
      _embedded: {
        factors: factors.map((f) => transactionFactor(ctx, f)),
        policy: { allowRememberDevice: false, rememberDeviceLifetimeInMinutes: 0, rememberDeviceByDefault: false, factorsPolicyInfo: {} },
      },
    });
  }
  if (signOnActions(ctx.state, user).requireFactor === true) return enrollNeeded(ctx, user, save(ctx, user, { ...fields, status: 'MFA_ENROLL' }, stateToken));
  return finishOrEnroll(ctx, user, how, stateToken);
}

/** Whether the MFA enrollment policy REQUIRES a factor the user may enroll at sign-in but has not set up. */
function missingRequired(ctx: Ctx, user: OktaUser): boolean {
  const active = verifiableFactors(ctx, user);
  return enrollableFactors(ctx, user).some((f) => f.enrollment === 'REQUIRED' && !active.some((a) => a.factorType === f.factorType && a.provider === f.provider));
}

/**
 * Ends a sign-in whose proofs are complete: SUCCESS, unless the MFA enrollment policy requires a factor the user has
 * not set up, which Okta asks for first (MFA_ENROLL).
 *
 * @example
 * return finishOrEnroll(ctx, user, { amr: [...tx.amr, 'mfa', 'otp'], passwordVerifiedAt: tx.passwordVerifiedAt }, stateToken);
 */
export function finishOrEnroll(ctx: Ctx, user: OktaUser, how: { amr: string[]; passwordVerifiedAt: string | null; relayState?: string }, stateToken?: string): HandlerResult {
  if (!missingRequired(ctx, user)) return succeed(ctx, user, how, stateToken);
  const fields = { amr: how.amr, passwordVerifiedAt: how.passwordVerifiedAt, ...(how.relayState !== undefined ? { relayState: how.relayState } : {}) };
  return enrollNeeded(ctx, user, save(ctx, user, { ...fields, status: 'MFA_ENROLL' }, stateToken));
}

/**
 * The factors a user may enroll while signing in, with the policy's verdict on each: Okta Verify push is left out,
 * as its activation needs the device (enroll it through the Factors API).
 *
 * @example
 * enrollableFactors(ctx, user).map((f) => f.factorType); // ['question', 'token:software:totp', ...]
 */
export function enrollableFactors(ctx: Ctx, user: OktaUser): { factorType: FactorType; provider: OktaFactor['provider']; enrollment: string }[] {
  return CATALOG.filter(({ factorType, provider }) => factorType !== 'push' && enrollmentRefusal(ctx.state, user, factorType, provider) === null).map(({ factorType, provider }) => ({
    factorType,
    provider,
    enrollment: factorEnrollment(ctx.state, user, factorType, provider),
  }));
}

/**
 * The MFA_ENROLL answer: the factors the user may enroll, each with its enroll link.
 *
 * @example
 * return enrollNeeded(ctx, user, stateToken);
 */
export function enrollNeeded(ctx: Ctx, user: OktaUser, stateToken: string): HandlerResult {
  const active = verifiableFactors(ctx, user);
  const factors = enrollableFactors(ctx, user).map((f) => ({
    ...transactionFactor(ctx, { ...f, vendorName: f.provider }),
    enrollment: f.enrollment,
    status: active.some((a) => a.factorType === f.factorType && a.provider === f.provider) ? 'ACTIVE' : 'NOT_SETUP',
  }));
  return transactionResult(ctx, user, stateToken, { _embedded: { factors } });
}

/**
 * Opens a transaction in a status that waits on the user.
 *
 * @example
 * const token = openTransaction(ctx, user, { status: 'PASSWORD_EXPIRED', passwordVerifiedAt: nowIso(ctx) });
 */
export function openTransaction(ctx: Ctx, user: OktaUser, fields: Partial<AuthnTransaction> & { status: string }, stateToken?: string): string {
  return save(ctx, user, fields, stateToken);
}

/**
 * The PASSWORD_EXPIRED answer: the policy to meet and the link to change the password.
 *
 * @example
 * return passwordExpired(ctx, user, openTransaction(ctx, user, { status: 'PASSWORD_EXPIRED' }));
 */
export function passwordExpired(ctx: Ctx, user: OktaUser, stateToken: string): HandlerResult {
  return transactionResult(ctx, user, stateToken, {
    _embedded: { policy: embeddedPolicy(ctx, user) },
    _links: { next: link(`${ctx.baseUrl}/api/v1/authn/credentials/change_password`, 'changePassword') },
  });
}

/**
 * The PASSWORD_RESET answer: the policy to meet and the link to set the new password.
 *
 * @example
 * return passwordReset(ctx, user, stateToken);
 */
export function passwordReset(ctx: Ctx, user: OktaUser, stateToken: string): HandlerResult {
  return transactionResult(ctx, user, stateToken, {
    _embedded: { policy: embeddedPolicy(ctx, user) },
    _links: { next: link(`${ctx.baseUrl}/api/v1/authn/credentials/reset_password`, 'resetPassword') },
  });
}

/**
 * The LOCKED_OUT answer: with a link to unlock when the password rule allows self-service unlock.
 *
 * @example
 * if (user.status === 'LOCKED_OUT') return lockedOut(ctx, user);
 */
export function lockedOut(ctx: Ctx, user: OktaUser): HandlerResult {
  const selfUnlock = passwordRuleActions(ctx.state, user).selfServiceUnlock?.access === 'ALLOW';
  return { status: 200, body: { status: 'LOCKED_OUT', _links: selfUnlock ? { next: link(`${ctx.baseUrl}/api/v1/authn/recovery/unlock`, 'unlock') } : {} } };
}

/**
 * Whether a LOCKED_OUT user's lockout has run out (the policy's autoUnlockMinutes; 0 never does).
 *
 * @example
 * if (user.status === 'LOCKED_OUT' && lockoutExpired(ctx, user)) setStatus(ctx, user, 'ACTIVE');
 */
export function lockoutExpired(ctx: Ctx, user: OktaUser): boolean {
  const minutes = passwordSettings(ctx.state, user).lockout.autoUnlockMinutes;
  return minutes > 0 && user.statusChanged !== null && ctx.clock.now().getTime() - Date.parse(user.statusChanged) >= minutes * 60_000;
}

/**
 * Forgets a user's failed sign-ins (a success, an unlock).
 *
 * @example
 * clearFailures(ctx, user);
 */
export function clearFailures(ctx: Ctx, user: OktaUser): void {
  if (ctx.state.signInFailures && Object.hasOwn(ctx.state.signInFailures, user.id)) delete ctx.state.signInFailures[user.id];
}

/**
 * Counts a failed sign-in toward the password policy's lockout: at `maxAttempts` the user is LOCKED_OUT (Okta's
 * user.account.lock event). The caller then refuses the request; the count is kept, as Okta keeps it.
 *
 * @example
 * countFailure(ctx, user);
 * throw new OktaError('E0000004');
 */
export function countFailure(ctx: Ctx, user: OktaUser): void {
  const failures = (ctx.state.signInFailures ??= createRecord());
  failures[user.id] = (failures[user.id] ?? 0) + 1;
  logEvent(ctx, { eventType: 'user.session.start', displayMessage: 'User login to Okta', actor: userTarget(user), outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }, legacyEventType: 'core.user_auth.login_failed' });
  const max = passwordSettings(ctx.state, user).lockout.maxAttempts;
  if (max > 0 && failures[user.id] >= max && user.status === 'ACTIVE') {
    setStatus(ctx, user, 'LOCKED_OUT');
    delete failures[user.id];
    logEvent(ctx, { eventType: 'user.account.lock', displayMessage: 'Max sign in attempts exceeded', actor: userTarget(user), target: [userTarget(user)], outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' } });
  }
}

/**
 * Whether the user's password must be changed before signing in: expired by an admin, or older than the policy allows.
 *
 * @example
 * if (mustChangePassword(ctx, user)) return passwordExpired(ctx, user, stateToken);
 */
export function mustChangePassword(ctx: Ctx, user: OktaUser): boolean {
  if (user.status === 'PASSWORD_EXPIRED') return true;
  if (!passwordAgedOut(ctx, user)) return false;
  setStatus(ctx, user, 'PASSWORD_EXPIRED');
  return true;
}

/**
 * Puts a recovery token in the user's "inbox" (state.recoveryTokens), valid as long as the password policy's email
 * recovery token lifetime says. `token` is the one a reset link already carries, when there is one.
 *
 * @example
 * const token = issueRecoveryToken(ctx, user, 'PASSWORD');
 */
export function issueRecoveryToken(ctx: Ctx, user: OktaUser, recoveryType: RecoveryTokenRecord['recoveryType'], token = secretToken(ctx, 20)): string {
  const policy = Object.values(ctx.state.policies ?? {}).find((p) => p.type === 'PASSWORD' && p.system);
  const minutes = Number(policy?.settings?.recovery?.factors?.okta_email?.properties?.recoveryToken?.tokenLifetimeMinutes ?? 60);
  recoveryTokens(ctx.state)[token] = { userId: user.id, recoveryType, expiresAt: later(ctx, minutes * 60) };
  return token;
}

/**
 * Spends a recovery token: its record if it is live, else Okta's 401 E0000011.
 *
 * @example
 * const record = redeemRecoveryToken(ctx, ctx.body.recoveryToken);
 */
export function redeemRecoveryToken(ctx: Ctx, token: unknown): RecoveryTokenRecord {
  const store = recoveryTokens(ctx.state);
  const record = typeof token === 'string' && Object.hasOwn(store, token) ? store[token] : undefined;
  if (!record || ctx.clock.now().getTime() >= Date.parse(record.expiresAt) || !ctx.state.users[record.userId]) throw new OktaError('E0000011');
  delete store[token as string];
  return { ...record };
}

/**
 * The RECOVERY_CHALLENGE answer after a recovery email was "sent": the same whether or not the user exists.
 *
 * @example
 * return recoveryChallenge('PASSWORD');
 */
export function recoveryChallenge(recoveryType: RecoveryTokenRecord['recoveryType']): HandlerResult {
  return { status: 200, body: { status: 'RECOVERY_CHALLENGE', factorResult: 'WAITING', factorType: 'EMAIL', recoveryType, _links: {} } };
}

/**
 * The RECOVERY answer: the recovery question to answer.
 *
 * @example
 * if (user.recoveryQuestion) return recoveryQuestion(ctx, user, stateToken);
 */
export function recoveryQuestion(ctx: Ctx, user: OktaUser, stateToken: string): HandlerResult {
  return transactionResult(ctx, user, stateToken, { _links: { next: link(`${ctx.baseUrl}/api/v1/authn/recovery/answer`, 'answer') } });
}

/**
 * After the recovery proof (token, then answer if the user has a question): set a password, or unlock.
 *
 * @example
 * return afterRecovery(ctx, user, stateToken);
 */
export function afterRecovery(ctx: Ctx, user: OktaUser, stateToken: string): HandlerResult {
  const tx = transactions(ctx.state)[stateToken];
  if (tx.recoveryType === 'UNLOCK') {
    endTransaction(ctx, stateToken);
    if (user.status === 'LOCKED_OUT') setStatus(ctx, user, 'ACTIVE');
    clearFailures(ctx, user);
    logEvent(ctx, { eventType: 'user.account.unlock', displayMessage: 'Unlock user account', actor: userTarget(user), target: [userTarget(user)] });
    return { status: 200, body: { expiresAt: tx.expiresAt, status: 'UNLOCKED', recoveryType: 'UNLOCK', _embedded: { user: embeddedUser(user) }, _links: {} } };
  }
  openTransaction(ctx, user, { status: 'PASSWORD_RESET' }, stateToken);
  return passwordReset(ctx, user, stateToken);
}
