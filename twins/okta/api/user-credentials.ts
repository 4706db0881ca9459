import { copyJson } from '../../../src/index.js';
import { OktaError, validationFailed } from '../errors.js';
import { ok } from '../model/http.js';
import { nowIso } from '../model/ids.js';
import { passwordChangeProblem, rememberPassword } from '../model/policies.js';
import { applyRecoveryQuestion, credentialsIncorrect } from '../model/user-credentials.js';
import { oneTimeToken, setStatus } from '../model/user-lifecycle.js';
import { logUserEdit } from '../model/system-log.js';
import { findUser } from '../model/users.js';
import type { Ctx, OktaHandlers, OktaUser, UserStatus } from '../types.js';

const PASSWORD_CHANGEABLE: ReadonlySet<UserStatus> = new Set(['STAGED', 'ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);
const RECOVERY_QUESTION_CHANGEABLE: ReadonlySet<UserStatus> = new Set(['STAGED', 'ACTIVE', 'RECOVERY']);

/** A user whose password the twin can check: a password set through the API (not an imported hash or a hook). */
function credentialUser(ctx: Ctx, allowed: ReadonlySet<UserStatus>): OktaUser {
  const user = findUser(ctx, ctx.params.userId);
  if (!allowed.has(user.status) || user.credentials.password === undefined) throw new OktaError('E0000038');
  return user;
}

/** A user's own credentials (tag UserCred): password and recovery question changes, forgotten passwords. */
export const userCredentialHandlers = {
  changePassword: (ctx) => {
    const user = credentialUser(ctx, PASSWORD_CHANGEABLE);
    const { oldPassword, newPassword } = ctx.body;
    if (user.password === null || oldPassword.value !== user.password) throw credentialsIncorrect('oldPassword');
    if (typeof newPassword.value !== 'string' || newPassword.value === '') throw validationFailed(['newPassword: The field cannot be left blank']);
    const problem = passwordChangeProblem(ctx, user, newPassword.value);
    if (problem) throw new OktaError('E0000014', { causes: [problem] });
    rememberPassword(ctx, user);
    user.password = newPassword.value;
    user.passwordChanged = nowIso(ctx);
    user.lastUpdated = user.passwordChanged;
    // A successful change ends RECOVERY (Okta's changePassword) and, by setting a fresh password, an expired one.
    if (user.status === 'RECOVERY' || user.status === 'PASSWORD_EXPIRED') setStatus(ctx, user, 'ACTIVE');
    logUserEdit(ctx, user, { credentials: { password: newPassword } });
    return ok(copyJson(user.credentials));
  },

  changeRecoveryQuestion: (ctx) => {
    const user = credentialUser(ctx, RECOVERY_QUESTION_CHANGEABLE);
    const body = ctx.body;
    if (user.password === null || body.password?.value !== user.password) throw credentialsIncorrect('password');
    applyRecoveryQuestion(user, body.recovery_question ?? {});
    user.lastUpdated = nowIso(ctx);
    logUserEdit(ctx, user, { credentials: { recovery_question: body.recovery_question } });
    return ok(copyJson(user.credentials));
  },

  forgotPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    // Only ACTIVE users with a password; the status does not change (Okta's forgotPassword).
    if (user.status !== 'ACTIVE' || user.credentials.password === undefined) throw new OktaError('E0000038');
    return ok(ctx.query.sendEmail ? {} : { resetPasswordUrl: `${ctx.baseUrl}/signin/reset-password/${oneTimeToken(ctx)}` });
  },

  forgotPasswordSetNewPassword: (ctx) => {
    const user = findUser(ctx, ctx.params.userId);
    if (user.status !== 'ACTIVE' || user.recoveryQuestion === null) throw new OktaError('E0000038');
    const { password, recovery_question: recovery } = ctx.body;
    if (recovery.answer !== user.recoveryQuestion.answer) {
      throw new OktaError('E0000087');
    }
    if (typeof password.value !== 'string' || password.value === '') throw validationFailed(['password: The field cannot be left blank']);
    const problem = passwordChangeProblem(ctx, user, password.value);
    if (problem) throw new OktaError('E0000014', { causes: [problem] });
    rememberPassword(ctx, user);
    user.password = password.value;
    user.credentials.password = {};
    user.passwordChanged = nowIso(ctx);
    user.lastUpdated = user.passwordChanged;
    logUserEdit(ctx, user, { credentials: { password } });
    return ok(copyJson(user.credentials));
  },
} satisfies OktaHandlers;
