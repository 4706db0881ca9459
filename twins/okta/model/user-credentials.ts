import { OktaError, validationFailed } from '../errors.js';
import type { Ctx, OktaUser } from '../types.js';
import { nowIso } from './ids.js';

/** The cause Okta gives for a password its default policy refuses. */
export const PASSWORD_POLICY_CAUSE =
  'password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.';

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

/** Okta's default password policy: 8+ characters, lower, upper, digit, and no part of the login of 4+ characters. */
export function meetsPasswordPolicy(login: string, password: string): boolean {
  const [local, domain = ''] = login.toLowerCase().split('@');
  // The parent domain (the last label, such as "com") is not a part of the username for this rule.
  const parts = [...local.split(/[,._#@-]/), ...domain.split(/[,._#-]/).slice(0, -1)].filter((part) => part.length >= 4);
  const lowered = password.toLowerCase();
  return password.length >= 8 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password) && !parts.some((part) => lowered.includes(part));
}

function checkPassword(login: string, password: string): void {
  if (!meetsPasswordPolicy(login, password)) throw validationFailed([PASSWORD_POLICY_CAUSE]);
}

function applyPassword(ctx: Ctx, user: OktaUser, password: PasswordInput): void {
  if (password.value !== undefined) {
    checkPassword(String(user.profile.login), password.value);
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
