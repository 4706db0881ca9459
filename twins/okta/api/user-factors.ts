import { invalidFields, notFound, OktaError } from '../errors.js';
import { enrollmentRefusal } from '../model/authenticators.js';
import {
  CATALOG,
  challengeProfile,
  checkSentCode,
  checkTotp,
  codeLifetime,
  enrollment,
  enrollRefused,
  factorJson,
  factorsOf,
  factorUrl,
  findTransaction,
  invalidPasscode,
  isPast,
  link,
  normalizePhone,
  pushActivation,
  pushChallenge,
  putFactor,
  removeFactor,
  requireFactor,
  SECURITY_QUESTIONS,
  sendCode,
  SENDS_CODE,
  SMS_CALL_CODE_SECONDS,
  transactionUrl,
  wrongFactorStatus,
} from '../model/factors.js';
import { ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { factorEnrollment } from '../model/policies.js';
import { logEvent, userTarget, type LogEntity } from '../model/system-log.js';
import { findUser } from '../model/users.js';
import type { Ctx, OktaFactor, OktaHandlers, OktaUser } from '../types.js';

/** The factors Okta offers by provider (Factors API, "Factor type" and "Provider type"); the org enables some (CATALOG). */
const OKTA_FACTORS: Record<string, readonly string[]> = {
  OKTA: ['question', 'token:software:totp', 'sms', 'call', 'email', 'push', 'signed_nonce'],
  GOOGLE: ['token:software:totp'],
  YUBICO: ['token:hardware'],
  RSA: ['token'],
  SYMANTEC: ['token'],
  DUO: ['web'],
  FIDO: ['u2f', 'webauthn'],
  CUSTOM: ['token:hotp'],
};

/**
 * Okta's refusals of an enrollment, in its words: a provider it does not have is "Invalid Provider."; a factor
 * Okta offers but the org has not enabled is "Factor not enabled."; a pairing no provider offers is not allowed.
 */
function checkEnrollable(factorType: string, provider: string): void {
  const offered = OKTA_FACTORS[provider];
  if (!offered) throw enrollRefused('Invalid Provider.');
  if (CATALOG.some((entry) => entry.factorType === factorType && entry.provider === provider)) return;
  if (offered.includes(factorType)) throw enrollRefused('Factor not enabled.');
  throw enrollRefused('Factor not allowed for the user based on the Multifactor policy.');
}

/** A factor as a System Log target. */
function factorTarget(factor: OktaFactor): LogEntity {
  return { id: factor.id, type: 'Factor', alternateId: factor.factorType, displayName: factor.vendorName, detailEntry: null };
}

/** A passed factor challenge: Okta logs the user's authentication via MFA. */
function verified(ctx: Ctx, user: OktaUser, factor: OktaFactor) {
  logEvent(ctx, { eventType: 'user.authentication.auth_via_mfa', displayMessage: 'Authentication of user via MFA', actor: userTarget(user), target: [userTarget(user), factorTarget(factor)] });
  return ok({ factorResult: 'SUCCESS' });
}

function logFactor(ctx: Ctx, user: OktaUser, factor: OktaFactor, action: 'activate' | 'deactivate'): void {
  const displayMessage = action === 'activate' ? 'Activate factor for user' : 'Reset factor for user';
  logEvent(ctx, { eventType: `user.mfa.factor.${action}`, displayMessage, target: [userTarget(user), factorTarget(factor)] });
}

/** A phone number's digits: "+1-555-415-1337" and "+15554151337" are one number. */
function digitsOf(phone: string | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

function invalidFieldsOf(field: string, message: string): OktaError {
  return invalidFields([[field, message]]);
}

/** The user of the path, by id, login or `me`. */
function pathUser(ctx: Ctx): OktaUser {
  return findUser(ctx, ctx.params.userId ?? ctx.params.id);
}

/** A user whose factors may change: "You can't unenroll a factor from a deactivated user" (Okta's unenrollFactor). */
function manageableUser(ctx: Ctx): OktaUser {
  const user = pathUser(ctx);
  if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
  return user;
}

/** A user's MFA factors (tag UserFactor). */
export const userFactorHandlers = {
  listFactors: (ctx) => {
    const user = pathUser(ctx);
    return ok(factorsOf(ctx.state, user.id).map((factor) => factorJson(ctx, factor)));
  },

  listSupportedFactors: (ctx) => {
    const user = pathUser(ctx);
    const enrolled = factorsOf(ctx.state, user.id);
    const factorsUrl = `${ctx.baseUrl}/api/v1/users/${user.id}/factors`;
    return ok(
      // What the org's authenticators and the user's MFA enrollment policy allow, REQUIRED or OPTIONAL as the policy says.
      CATALOG.filter(({ factorType, provider }) => enrollmentRefusal(ctx.state, user, factorType, provider) === null).map(({ factorType, provider }) => {
        const status = enrolled.find((factor) => factor.factorType === factorType && factor.provider === provider)?.status ?? 'NOT_SETUP';
        const links: Record<string, unknown> = {};
        if (factorType === 'question') links.questions = link(`${factorsUrl}/questions`, 'GET');
        if (status !== 'ACTIVE') links.enroll = link(factorsUrl, 'POST');
        return { factorType, provider, vendorName: provider, enrollment: factorEnrollment(ctx.state, user, factorType, provider), status, _links: links };
      }),
    );
  },

  listSupportedSecurityQuestions: (ctx) => {
    pathUser(ctx);
    return ok(Object.entries(SECURITY_QUESTIONS).map(([question, questionText]) => ({ question, questionText })));
  },

  enrollFactor: (ctx) => {
    const user = manageableUser(ctx);
    const factorType = ctx.body.factorType;
    const provider = ctx.body.provider ?? 'OKTA';
    checkEnrollable(factorType, provider);
    // The org's authenticators and the MFA enrollment policy that governs the user decide what may be enrolled.
    const refusal = enrollmentRefusal(ctx.state, user, factorType, provider);
    if (refusal) throw enrollRefused(refusal);
    const existing = factorsOf(ctx.state, user.id).find((factor) => factor.factorType === factorType && factor.provider === provider);
    if (existing?.status === 'ACTIVE') throw enrollRefused('A factor of this type is already set up.');
    const request = {
      factorType,
      provider,
      profile: ctx.body.profile ?? {},
      activate: Boolean(ctx.query.activate),
      updatePhone: Boolean(ctx.query.updatePhone),
      tokenLifetimeSeconds: ctx.query.tokenLifetimeSeconds,
    };
    const factor = enrollment(ctx, user, request, existing);
    putFactor(ctx.state, factor);
    if (factor.status === 'ACTIVE') logFactor(ctx, user, factor, 'activate');
    return ok(factorJson(ctx, factor));
  },

  getFactor: (ctx) => ok(factorJson(ctx, requireFactor(ctx.state, pathUser(ctx), ctx.params.factorId))),

  unenrollFactor: (ctx) => {
    const user = pathUser(ctx);
    const factor = requireFactor(ctx.state, user, ctx.params.factorId);
    if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
    removeFactor(ctx.state, factor.id);
    logFactor(ctx, user, factor, 'deactivate');
    // Unenrolling Okta Verify push also unenrolls Okta Verify TOTP (Okta's unenrollFactor).
    if (factor.factorType === 'push') {
      for (const other of factorsOf(ctx.state, user.id)) if (other.factorType === 'token:software:totp' && other.provider === 'OKTA') removeFactor(ctx.state, other.id);
    }
    return { status: 204 };
  },

  activateFactor: (ctx) => {
    const user = manageableUser(ctx);
    const factor = requireFactor(ctx.state, user, ctx.params.factorId);
    if (factor.factorType === 'push') return pushActivation(ctx, factor);
    if (factor.status !== 'PENDING_ACTIVATION') throw wrongFactorStatus('factor: The factor is already active.');
    const passCode = ctx.body?.passCode;
    if (factor.factorType === 'token:software:totp') checkTotp(ctx, factor, passCode);
    else checkSentCode(ctx, factor, passCode);
    factor.status = 'ACTIVE';
    factor.lastUpdated = nowIso(ctx);
    logFactor(ctx, user, factor, 'activate');
    return ok(factorJson(ctx, factor));
  },

  resendEnrollFactor: (ctx) => {
    const factor = requireFactor(ctx.state, manageableUser(ctx), ctx.params.factorId);
    if (!SENDS_CODE.has(factor.factorType) || factor.status !== 'PENDING_ACTIVATION') {
      throw wrongFactorStatus('factor: Only a pending sms, call or email enrollment can be resent.');
    }
    // The body Okta documents names the factor being resent; whatever it names must be this factor.
    const body = ctx.body ?? {};
    if (body.factorType !== undefined && body.factorType !== factor.factorType) throw invalidFieldsOf('factorType', `The factor is a ${factor.factorType} factor`);
    if (body.provider !== undefined && body.provider !== factor.provider) throw invalidFieldsOf('provider', 'Invalid Provider.');
    const phone = body.profile?.phoneNumber;
    if (phone !== undefined && factor.factorType !== 'email' && digitsOf(normalizePhone(phone)) !== digitsOf(factor.profile.phoneNumber)) {
      throw invalidFieldsOf('profile.phoneNumber', 'The phone number is not the one being enrolled; enroll again with updatePhone=true to change it');
    }
    sendCode(ctx, factor, SMS_CALL_CODE_SECONDS);
    factor.lastUpdated = nowIso(ctx);
    return ok(factorJson(ctx, factor));
  },

  verifyFactor: (ctx) => {
    const user = manageableUser(ctx);
    const factor = requireFactor(ctx.state, user, ctx.params.factorId);
    if (factor.status !== 'ACTIVE') throw wrongFactorStatus('factor: The factor is not active.');
    const body = ctx.body ?? {};
    switch (factor.factorType) {
      case 'question':
        if (body.answer !== factor.answer) throw invalidPasscode('answer');
        return verified(ctx, user, factor);
      case 'token:software:totp':
        checkTotp(ctx, factor, body.passCode);
        return verified(ctx, user, factor);
      case 'push':
        return pushChallenge(ctx, factor);
      default:
        // Without a passCode the call issues a challenge and sends a new code (Okta's verifyFactor).
        if (body.passCode === undefined) {
          sendCode(ctx, factor, codeLifetime(factor, ctx.query.tokenLifetimeSeconds));
          const self = factorUrl(ctx, factor);
          return ok({ factorResult: 'CHALLENGE', ...challengeProfile(factor), _links: { verify: link(`${self}/verify`, 'POST'), factor: link(self, 'GET', 'DELETE') } });
        }
        checkSentCode(ctx, factor, body.passCode);
        return verified(ctx, user, factor);
    }
  },

  getFactorTransactionStatus: (ctx) => {
    const factor = requireFactor(ctx.state, pathUser(ctx), ctx.params.factorId);
    const transaction = findTransaction(ctx.state, ctx.params.transactionId);
    if (!transaction || transaction.factorId !== factor.id) throw notFound(ctx.params.transactionId, 'Transaction');
    const result = transaction.factorResult === 'WAITING' && isPast(ctx, transaction.expiresAt) ? 'TIMEOUT' : transaction.factorResult;
    const profile = { credentialId: factor.profile.credentialId };
    if (result === 'SUCCESS') return ok({ factorResult: 'SUCCESS' });
    if (result === 'WAITING') {
      const poll = transactionUrl(ctx, factor, transaction);
      return ok({ expiresAt: transaction.expiresAt, factorResult: 'WAITING', profile, _links: { poll: link(poll, 'GET'), cancel: link(poll, 'DELETE') } });
    }
    const self = factorUrl(ctx, factor);
    return ok({ factorResult: result, profile, _links: { verify: link(`${self}/verify`, 'POST'), factor: link(self, 'GET', 'DELETE') } });
  },
} satisfies OktaHandlers;
