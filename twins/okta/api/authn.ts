import type { HandlerResult } from '../../../src/index.js';
import { invalidFields, notFound, OktaError } from '../errors.js';
import {
  afterPassword,
  afterRecovery,
  clearFailures,
  countFailure,
  endTransaction,
  enrollableFactors,
  enrollNeeded,
  FACTOR_AMR,
  finishOrEnroll,
  issueRecoveryToken,
  lockedOut,
  lockoutExpired,
  mustChangePassword,
  openTransaction,
  passwordExpired,
  passwordReset,
  recoveryChallenge,
  recoveryQuestion,
  redeemRecoveryToken,
  requireTransaction,
  succeed,
  transactionFactor,
  transactionResult,
  verifiableFactors,
} from '../model/authn.js';
import { checkSentCode, checkTotp, enrollment, enrollRefused, factorJson, factorsOf, findTransaction, invalidPasscode, isPast, pushChallenge, putFactor, requireFactor, sendCode, SMS_CALL_CODE_SECONDS } from '../model/factors.js';
import { nowIso } from '../model/ids.js';
import { passwordChangeProblem, passwordRuleActions, rememberPassword, signOnActions } from '../model/policies.js';
import { logEvent, userTarget } from '../model/system-log.js';
import { credentialsIncorrect } from '../model/user-credentials.js';
import { setStatus } from '../model/user-lifecycle.js';
import { userByLogin } from '../model/users.js';
import type { AuthnTransaction, Ctx, OktaFactor, OktaHandlers, OktaUser } from '../types.js';

const ALL_STATUSES = ['PASSWORD_EXPIRED', 'MFA_REQUIRED', 'MFA_CHALLENGE', 'MFA_ENROLL', 'MFA_ENROLL_ACTIVATE', 'RECOVERY', 'PASSWORD_RESET'];

function requireText(body: Record<string, any>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw invalidFields([[field, 'The field cannot be left blank']]);
  return value;
}

/** Sets a new password through a transaction: the policy's refusal is Okta's E0000080 (Authentication API). */
function setNewPassword(ctx: Ctx, user: OktaUser, password: string): void {
  const problem = passwordChangeProblem(ctx, user, password);
  if (problem) throw new OktaError('E0000080', { causes: [problem] });
  rememberPassword(ctx, user);
  user.password = password;
  user.credentials.password = {};
  user.passwordChanged = nowIso(ctx);
  user.lastUpdated = user.passwordChanged;
}

/** MFA_CHALLENGE: a passcode is on its way, or a push waits on the device (`factorResult`). */
function challenge(ctx: Ctx, user: OktaUser, stateToken: string, factor: OktaFactor, factorResult?: string): HandlerResult {
  const verify = `${ctx.baseUrl}/api/v1/authn/factors/${factor.id}/verify`;
  const next = { name: factor.factorType === 'push' ? 'poll' : 'verify', href: verify, hints: { allow: ['POST'] } };
  return transactionResult(ctx, user, stateToken, {
    ...(factorResult ? { factorResult } : {}),
    _embedded: { factor: transactionFactor(ctx, factor) },
    _links: { next },
  });
}

/** A verified factor ends the sign-in (or moves on to a factor the policy requires): the session token carries every proof. */
function factorVerified(ctx: Ctx, user: OktaUser, tx: AuthnTransaction, stateToken: string, factor: OktaFactor): HandlerResult {
  logEvent(ctx, { eventType: 'user.authentication.auth_via_mfa', displayMessage: 'Authentication of user via MFA', actor: userTarget(user), debugData: { factor: factor.factorType } });
  const amr = tx.amr.includes(FACTOR_AMR[factor.factorType]) ? [...tx.amr] : [...tx.amr, ...(tx.amr.includes('mfa') ? [] : ['mfa']), FACTOR_AMR[factor.factorType]];
  return finishOrEnroll(ctx, user, { amr, passwordVerifiedAt: tx.passwordVerifiedAt, relayState: tx.relayState }, stateToken);
}

/** Where an open transaction stands, as Okta answers a POST /authn with only its state token. */
function transactionState(ctx: Ctx, stateToken: unknown): HandlerResult {
  const { tx, user, stateToken: token } = requireTransaction(ctx, stateToken, ALL_STATUSES);
  switch (tx.status) {
    case 'PASSWORD_EXPIRED':
      return passwordExpired(ctx, user, token);
    case 'PASSWORD_RESET':
      return passwordReset(ctx, user, token);
    case 'RECOVERY':
      return recoveryQuestion(ctx, user, token);
    case 'MFA_ENROLL':
      return enrollNeeded(ctx, user, token);
    case 'MFA_CHALLENGE':
    case 'MFA_ENROLL_ACTIVATE': {
      const factor = factorsOf(ctx.state, user.id).find((f) => f.id === tx.factorId);
      if (factor) return challenge(ctx, user, token, factor);
      return afterPassword(ctx, user, { amr: tx.amr, passwordVerifiedAt: tx.passwordVerifiedAt ?? nowIso(ctx), relayState: tx.relayState }, token);
    }
    default:
      return afterPassword(ctx, user, { amr: tx.amr, passwordVerifiedAt: tx.passwordVerifiedAt ?? nowIso(ctx), relayState: tx.relayState }, token);
  }
}

/**
 * Okta's classic Authentication API (`/api/v1/authn`, tag Authn): primary authentication with a password, MFA,
 * expired passwords, lockout, and self-service recovery with recovery tokens. No API token is needed. A SUCCESS hands
 * out a one-time `sessionToken` for `POST /api/v1/sessions` or `/authorize?sessionToken=`. The policies decide: the
 * password policy (complexity, history, age, lockout, self-service unlock and reset), the sign-on policy (access,
 * required factor, session lifetime), the MFA enrollment policy and the authenticators (which factors count).
 */
export const authnHandlers = {
  authn: (ctx) => {
    const body: Record<string, any> = ctx.body;
    if (body.username === undefined && body.stateToken !== undefined) return transactionState(ctx, body.stateToken);
    const username = requireText(body, 'username');
    const password = requireText(body, 'password');
    const relayState: string | undefined = body.relayState;
    const user = userByLogin(ctx, username);
    if (!user) throw new OktaError('E0000004');
    if (user.status === 'LOCKED_OUT' && lockoutExpired(ctx, user)) setStatus(ctx, user, 'ACTIVE');
    if (user.status === 'LOCKED_OUT') return lockedOut(ctx, user);
    if ((user.status !== 'ACTIVE' && user.status !== 'PASSWORD_EXPIRED') || user.password === null) throw new OktaError('E0000004');
    if (password !== user.password) {
      countFailure(ctx, user);
      throw new OktaError('E0000004');
    }
    clearFailures(ctx, user);
    if (signOnActions(ctx.state, user).access === 'DENY') throw new OktaError('E0000004');
    const now = nowIso(ctx);
    if (mustChangePassword(ctx, user)) {
      return passwordExpired(ctx, user, openTransaction(ctx, user, { status: 'PASSWORD_EXPIRED', amr: ['pwd'], passwordVerifiedAt: now, ...(relayState !== undefined ? { relayState } : {}) }));
    }
    return afterPassword(ctx, user, { amr: ['pwd'], passwordVerifiedAt: now, relayState });
  },

  verifyAuthnFactor: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { tx, user, stateToken } = requireTransaction(ctx, body.stateToken, ['MFA_REQUIRED', 'MFA_CHALLENGE']);
    const factor = verifiableFactors(ctx, user).find((f) => f.id === ctx.params.factorId);
    if (!factor) throw notFound(ctx.params.factorId, 'UserFactor');
    switch (factor.factorType) {
      case 'question':
        if (body.answer !== factor.answer) throw invalidPasscode('answer');
        return factorVerified(ctx, user, tx, stateToken, factor);
      case 'token:software:totp':
        checkTotp(ctx, factor, body.passCode);
        return factorVerified(ctx, user, tx, stateToken, factor);
      case 'push': {
        const pending = tx.factorId === factor.id && tx.pushTransactionId ? findTransaction(ctx.state, tx.pushTransactionId) : undefined;
        if (pending) {
          const result = pending.factorResult === 'WAITING' && isPast(ctx, pending.expiresAt) ? 'TIMEOUT' : pending.factorResult;
          if (result === 'SUCCESS') return factorVerified(ctx, user, tx, stateToken, factor);
          if (result === 'WAITING') return challenge(ctx, user, stateToken, factor, 'WAITING');
          // A rejected or timed-out push ends that challenge; verifying again sends a new one.
          openTransaction(ctx, user, { status: 'MFA_CHALLENGE', factorId: factor.id }, stateToken);
          return challenge(ctx, user, stateToken, factor, result);
        }
        const started = pushChallenge(ctx, factor);
        const poll = (started.body as { _links: { poll: { href: string } } })._links.poll.href;
        const pushTransactionId = poll.slice(poll.lastIndexOf('/') + 1);
        openTransaction(ctx, user, { status: 'MFA_CHALLENGE', factorId: factor.id, pushTransactionId }, stateToken);
        return challenge(ctx, user, stateToken, factor, 'WAITING');
      }
      default:
        // Without a passCode the call sends one (Okta's Authentication API, "Verify SMS factor").
        if (body.passCode === undefined) {
          sendCode(ctx, factor, SMS_CALL_CODE_SECONDS);
          openTransaction(ctx, user, { status: 'MFA_CHALLENGE', factorId: factor.id }, stateToken);
          return challenge(ctx, user, stateToken, factor);
        }
        checkSentCode(ctx, factor, body.passCode);
        return factorVerified(ctx, user, tx, stateToken, factor);
    }
  },

  enrollAuthnFactor: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { tx, user, stateToken } = requireTransaction(ctx, body.stateToken, ['MFA_ENROLL']);
    const provider = body.provider ?? 'OKTA';
    if (!enrollableFactors(ctx, user).some((f) => f.factorType === body.factorType && f.provider === provider)) {
      throw enrollRefused('Factor not allowed for the user based on the Multifactor policy.');
    }
    const existing = factorsOf(ctx.state, user.id).find((f) => f.factorType === body.factorType && f.provider === provider);
    if (existing?.status === 'ACTIVE') throw enrollRefused('A factor of this type is already set up.');
    const factor = enrollment(ctx, user, { factorType: body.factorType, provider, profile: body.profile ?? {}, activate: false, updatePhone: true, tokenLifetimeSeconds: SMS_CALL_CODE_SECONDS }, existing);
    putFactor(ctx.state, factor);
    if (factor.status === 'ACTIVE') return factorVerified(ctx, user, tx, stateToken, factor);
    openTransaction(ctx, user, { status: 'MFA_ENROLL_ACTIVATE', factorId: factor.id }, stateToken);
    const activate = `${ctx.baseUrl}/api/v1/authn/factors/${factor.id}/lifecycle/activate`;
    return transactionResult(ctx, user, stateToken, {
      _embedded: { factor: factorJson(ctx, factor) },
      _links: { next: { name: 'activate', href: activate, hints: { allow: ['POST'] } } },
    });
  },

  activateAuthnFactor: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { tx, user, stateToken } = requireTransaction(ctx, body.stateToken, ['MFA_ENROLL_ACTIVATE']);
    const factor = requireFactor(ctx.state, user, ctx.params.factorId);
    if (factor.id !== tx.factorId) throw notFound(ctx.params.factorId, 'UserFactor');
    if (factor.factorType === 'token:software:totp') checkTotp(ctx, factor, body.passCode);
    else checkSentCode(ctx, factor, body.passCode);
    factor.status = 'ACTIVE';
    factor.lastUpdated = nowIso(ctx);
    return factorVerified(ctx, user, tx, stateToken, factor);
  },

  changeAuthnPassword: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { tx, user, stateToken } = requireTransaction(ctx, body.stateToken, ['PASSWORD_EXPIRED']);
    if (body.oldPassword !== user.password) throw credentialsIncorrect('oldPassword');
    setNewPassword(ctx, user, requireText(body, 'newPassword'));
    setStatus(ctx, user, 'ACTIVE');
    return afterPassword(ctx, user, { amr: tx.amr, passwordVerifiedAt: nowIso(ctx), relayState: tx.relayState }, stateToken);
  },

  resetAuthnPassword: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { tx, user, stateToken } = requireTransaction(ctx, body.stateToken, ['PASSWORD_RESET']);
    setNewPassword(ctx, user, requireText(body, 'newPassword'));
    // A new password ends recovery, an expired password and a lockout alike.
    setStatus(ctx, user, 'ACTIVE');
    logEvent(ctx, { eventType: 'user.account.reset_password', displayMessage: 'Reset password for user', actor: userTarget(user), target: [userTarget(user)] });
    return succeed(ctx, user, { amr: ['pwd'], passwordVerifiedAt: nowIso(ctx), relayState: tx.relayState }, stateToken);
  },

  forgotAuthnPassword: (ctx) => {
    const user = userByLogin(ctx, requireText(ctx.body, 'username'));
    const resettable = user && user.password !== null && ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'].includes(user.status);
    if (user && resettable && passwordRuleActions(ctx.state, user).selfServicePasswordReset?.access === 'ALLOW') issueRecoveryToken(ctx, user, 'PASSWORD');
    // The answer is the same for an unknown user, so that sign-in pages do not reveal who has an account.
    return recoveryChallenge('PASSWORD');
  },

  unlockAuthnAccount: (ctx) => {
    const user = userByLogin(ctx, requireText(ctx.body, 'username'));
    if (user?.status === 'LOCKED_OUT' && passwordRuleActions(ctx.state, user).selfServiceUnlock?.access === 'ALLOW') issueRecoveryToken(ctx, user, 'UNLOCK');
    return recoveryChallenge('UNLOCK');
  },

  verifyRecoveryToken: (ctx) => {
    const record = redeemRecoveryToken(ctx, ctx.body.recoveryToken);
    const user = ctx.state.users[record.userId];
    const stateToken = openTransaction(ctx, user, { status: 'RECOVERY', recoveryType: record.recoveryType });
    if (user.recoveryQuestion) return recoveryQuestion(ctx, user, stateToken);
    return afterRecovery(ctx, user, stateToken);
  },

  answerRecoveryQuestion: (ctx) => {
    const body: Record<string, any> = ctx.body;
    const { user, stateToken } = requireTransaction(ctx, body.stateToken, ['RECOVERY']);
    if (body.answer !== user.recoveryQuestion?.answer) throw new OktaError('E0000087');
    return afterRecovery(ctx, user, stateToken);
  },

  cancelAuthn: (ctx) => {
    const { tx, stateToken } = requireTransaction(ctx, ctx.body.stateToken, ALL_STATUSES);
    endTransaction(ctx, stateToken);
    return { status: 200, body: tx.relayState !== undefined ? { relayState: tx.relayState } : {} };
  },
} satisfies OktaHandlers;
