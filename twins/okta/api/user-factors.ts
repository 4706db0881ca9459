import { notFound, OktaError } from '../errors.js';
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
import { findUser } from '../model/users.js';
import type { Ctx, OktaHandlers, OktaUser } from '../types.js';

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
      CATALOG.map(({ factorType, provider }) => {
        const status = enrolled.find((factor) => factor.factorType === factorType && factor.provider === provider)?.status ?? 'NOT_SETUP';
        const links: Record<string, unknown> = {};
        if (factorType === 'question') links.questions = link(`${factorsUrl}/questions`, 'GET');
        if (status !== 'ACTIVE') links.enroll = link(factorsUrl, 'POST');
        return { factorType, provider, vendorName: provider, enrollment: 'OPTIONAL', status, _links: links };
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
    if (!CATALOG.some((entry) => entry.factorType === factorType && entry.provider === provider)) {
      throw enrollRefused('Factor not allowed for the user based on the Multifactor policy.');
    }
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
    return ok(factorJson(ctx, factor));
  },

  getFactor: (ctx) => ok(factorJson(ctx, requireFactor(ctx.state, pathUser(ctx), ctx.params.factorId))),

  unenrollFactor: (ctx) => {
    const user = pathUser(ctx);
    const factor = requireFactor(ctx.state, user, ctx.params.factorId);
    if (user.status === 'DEPROVISIONED') throw new OktaError('E0000038');
    removeFactor(ctx.state, factor.id);
    // Unenrolling Okta Verify push also unenrolls Okta Verify TOTP (Okta's unenrollFactor).
    if (factor.factorType === 'push') {
      for (const other of factorsOf(ctx.state, user.id)) if (other.factorType === 'token:software:totp' && other.provider === 'OKTA') removeFactor(ctx.state, other.id);
    }
    return { status: 204 };
  },

  activateFactor: (ctx) => {
    const factor = requireFactor(ctx.state, manageableUser(ctx), ctx.params.factorId);
    if (factor.factorType === 'push') return pushActivation(ctx, factor);
    if (factor.status !== 'PENDING_ACTIVATION') throw wrongFactorStatus('factor: The factor is already active.');
    const passCode = ctx.body?.passCode;
    if (factor.factorType === 'token:software:totp') checkTotp(ctx, factor, passCode);
    else checkSentCode(ctx, factor, passCode);
    factor.status = 'ACTIVE';
    factor.lastUpdated = nowIso(ctx);
    return ok(factorJson(ctx, factor));
  },

  resendEnrollFactor: (ctx) => {
    const factor = requireFactor(ctx.state, manageableUser(ctx), ctx.params.factorId);
    if (!SENDS_CODE.has(factor.factorType) || factor.status !== 'PENDING_ACTIVATION') {
      throw wrongFactorStatus('factor: Only a pending sms, call or email enrollment can be resent.');
    }
    sendCode(ctx, factor, SMS_CALL_CODE_SECONDS);
    factor.lastUpdated = nowIso(ctx);
    return ok(factorJson(ctx, factor));
  },

  verifyFactor: (ctx) => {
    const factor = requireFactor(ctx.state, manageableUser(ctx), ctx.params.factorId);
    if (factor.status !== 'ACTIVE') throw wrongFactorStatus('factor: The factor is not active.');
    const body = ctx.body ?? {};
    switch (factor.factorType) {
      case 'question':
        if (body.answer !== factor.answer) throw invalidPasscode('answer');
        return ok({ factorResult: 'SUCCESS' });
      case 'token:software:totp':
        checkTotp(ctx, factor, body.passCode);
        return ok({ factorResult: 'SUCCESS' });
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
        return ok({ factorResult: 'SUCCESS' });
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
