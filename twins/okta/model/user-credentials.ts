import { OktaError, validationFailed } from '../errors.js';
import type { Ctx, OktaUser } from '../types.js';
import { nowIso } from './ids.js';
import { passwordChangeProblem, rememberPassword } from './policies.js';

interface PasswordInput {
  value?: string;
  hash?: Record<string, unknown>;
  hook?: Record<string, unknown>;
}

/** The `credentials` of a user as a create or an edit sends them. */
export interface CredentialsInput {
  password?: PasswordInput;
  recovery_question?: { question?: string; answer?: string };
  provider?: { type?: string; name?: string };
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** Refuses a password the policy that governs the user does not allow (complexity, history, minimum age). */
function checkPassword(ctx: Ctx, user: OktaUser, password: string): void {
  const problem = passwordChangeProblem(ctx, user, password);
  if (problem) throw validationFailed([problem]);
}

function applyPassword(ctx: Ctx, user: OktaUser, password: PasswordInput): void {
  if (password.value !== undefined) {
    checkPassword(ctx, user, password.value);
    rememberPassword(ctx, user);
    user.password = password.value;
  } else if (password.hash || password.hook) {
    // An imported hash or a password hook is checked at first sign-in; Okta shows such users with the IMPORT provider.
    user.password = null;
    user.credentials.provider = { type: 'IMPORT', name: 'IMPORT' };
  } else {
    return;
  }
  user.credentials.password = {};
  user.passwordChanged = nowIso(ctx);
}

/** Sets the recovery question; both the question and the answer are required. */
export function applyRecoveryQuestion(user: OktaUser, recovery: { question?: string; answer?: string }): void {
  const causes: string[] = [];
  if (isBlank(recovery.question)) causes.push('recovery_question.question: The field cannot be left blank');
  if (isBlank(recovery.answer)) causes.push('recovery_question.answer: The field cannot be left blank');
  if (causes.length > 0) throw validationFailed(causes);
  user.recoveryQuestion = { question: recovery.question!, answer: recovery.answer! };
  user.credentials.recovery_question = { question: recovery.question };
}

/** Applies the password and recovery question a create or an edit sends. */
export function applyCredentials(ctx: Ctx, user: OktaUser, credentials: CredentialsInput | undefined): void {
  if (credentials?.password) applyPassword(ctx, user, credentials.password);
  const recovery = credentials?.recovery_question;
  // A user read back and sent whole (the SDK's update pattern) carries its question without the write-only answer.
  const unchanged = recovery !== undefined && recovery.answer === undefined && recovery.question === user.recoveryQuestion?.question;
  if (recovery && !unchanged) applyRecoveryQuestion(user, recovery);
}

/** Okta's answer to a wrong current password (Okta's Authentication API, "Change password"; the Users API answers alike). */
export function credentialsIncorrect(property: 'oldPassword' | 'password'): OktaError {
  return new OktaError('E0000014', { causes: [`${property}: The credentials provided were incorrect.`] });
}
