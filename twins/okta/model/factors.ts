import { createRecord, type HandlerResult } from '../../../src/index.js';
import { notFound, OktaError } from '../errors.js';
import type { Ctx, FactorTransaction, FactorType, OktaFactor, OktaState, OktaUser } from '../types.js';
import { ok } from './http.js';
import { nowIso, oktaId } from './ids.js';
import { BASE32, TOTP_DIGITS, TOTP_STEP_SECONDS, totpCode } from './totp.js';

type Provider = OktaFactor['provider'];

const DIGITS = '0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** How long an sms or call passcode works, and an email one unless the request says otherwise. */
export const SMS_CALL_CODE_SECONDS = 300;
const PUSH_ACTIVATION_SECONDS = 600;
const PUSH_VERIFY_SECONDS = 300;
const MIN_ANSWER_LENGTH = 4;

/** The factors this twin's org enables, in the order Okta's catalog lists them. */
export const CATALOG: { factorType: FactorType; provider: Provider }[] = [
  { factorType: 'question', provider: 'OKTA' },
  { factorType: 'token:software:totp', provider: 'OKTA' },
  { factorType: 'token:software:totp', provider: 'GOOGLE' },
  { factorType: 'sms', provider: 'OKTA' },
  { factorType: 'call', provider: 'OKTA' },
  { factorType: 'email', provider: 'OKTA' },
  { factorType: 'push', provider: 'OKTA' },
];

/** Okta's factor id prefixes, by type and provider (Factors API examples). */
function idPrefix(factorType: FactorType, provider: Provider): string {
  if (factorType === 'token:software:totp') return provider === 'GOOGLE' ? 'uft' : 'ost';
  return { sms: 'sms', call: 'clf', email: 'emf', question: 'ufs', push: 'opf' }[factorType];
}

/** Okta's built-in security questions (Factors API, "List all supported security questions"). */
export const SECURITY_QUESTIONS: Record<string, string> = {
  disliked_food: 'What is the food you least liked as a child?',
  name_of_first_plush_toy: 'What is the name of your first stuffed animal?',
  first_award: 'What did you earn your first medal or award for?',
  favorite_security_question: 'What is your favorite security question?',
  favorite_toy: 'What is the toy/stuffed animal you liked the most as a kid?',
  first_computer_game: 'What was the first computer game you played?',
  favorite_movie_quote: 'What is your favorite movie quote?',
  first_sports_team_mascot: 'What was the mascot of the first sports team you played on?',
  first_music_purchase: 'What music album or song did you first purchase?',
  favorite_art_piece: 'What is your favorite piece of art?',
  grandmother_favorite_desert: "What was your grandmother's favorite dessert?",
  first_thing_cooked: 'What was the first thing you learned to cook?',
  childhood_dream_job: 'What was your dream job as a child?',
  first_kiss_location: 'Where did you have your first kiss?',
  place_where_significant_other_was_met: 'Where did you meet your spouse/significant other?',
  favorite_vacation_location: 'Where did you go for your favorite vacation?',
  new_years_two_thousand: "Where were you on New Year's Eve in the year 2000?",
  favorite_speaker_actor: 'Who is your favorite speaker/orator?',
  favorite_book_movie_character: 'Who is your favorite book/movie character?',
  favorite_sports_player: 'Who is your favorite sports player?',
};

/** Factors whose passcode the twin "sends" (and a test reads in `factorCodes`). */
export const SENDS_CODE: ReadonlySet<FactorType> = new Set(['sms', 'call', 'email']);
const AUTO_ACTIVATES: ReadonlySet<FactorType> = new Set(['sms', 'call', 'email']);

const factorStore = (state: OktaState) => (state.factors ??= createRecord());
const codeStore = (state: OktaState) => (state.factorCodes ??= createRecord());
const transactionStore = (state: OktaState) => (state.factorTransactions ??= createRecord());

/** Stores a new or restarted enrollment. */
export function putFactor(state: OktaState, factor: OktaFactor): void {
  factorStore(state)[factor.id] = factor;
}

/** A push verification transaction by id, or undefined. */
export function findTransaction(state: OktaState, transactionId: string): FactorTransaction | undefined {
  return transactionStore(state)[transactionId];
}

/** The factors a user enrolled, in enrollment order. */
export function factorsOf(state: OktaState, userId: string): OktaFactor[] {
  return Object.values(factorStore(state)).filter((factor) => factor.userId === userId);
}

/** Unenrolls a factor, with its pending passcode and push transactions. */
export function removeFactor(state: OktaState, factorId: string): void {
  delete factorStore(state)[factorId];
  delete codeStore(state)[factorId];
  const transactions = transactionStore(state);
  for (const [id, transaction] of Object.entries(transactions)) if (transaction.factorId === factorId) delete transactions[id];
}

function secondsFromNow(ctx: Ctx, seconds: number): string {
  return new Date(ctx.clock.now().getTime() + seconds * 1000).toISOString();
}

/** Whether an instant (ISO-8601) has passed on the twin clock; a missing one has. */
export function isPast(ctx: Ctx, iso: string | undefined): boolean {
  return iso === undefined || ctx.clock.now().getTime() >= Date.parse(iso);
}

/** Okta's E0000001 for an enrollment it refuses. */
export function enrollRefused(cause: string): OktaError {
  return new OktaError('E0000001', { detail: 'factorEnrollRequest', causes: [cause] });
}

/** Okta's E0000068 for a wrong passcode or answer. */
export function invalidPasscode(what: 'passcode' | 'answer'): OktaError {
  return new OktaError('E0000068', { causes: [`Your ${what} doesn't match our records. Please try again.`] });
}

/** Okta's E0000001 for an operation the factor's status does not allow. */
export function wrongFactorStatus(cause: string): OktaError {
  return new OktaError('E0000001', { detail: 'factor', causes: [cause] });
}

/** The user's factor with this id, or Okta's 404. */
export function requireFactor(state: OktaState, user: OktaUser, factorId: string): OktaFactor {
  const factor = factorStore(state)[factorId];
  if (!factor || factor.userId !== user.id) throw notFound(factorId, 'UserFactor');
  return factor;
}

/** A link with the methods it allows, as Okta's factor links carry them. */
export function link(href: string, ...allow: string[]) {
  return { href, hints: { allow } };
}

/** The factor's own URL, which its links start from. */
export function factorUrl(ctx: Ctx, factor: OktaFactor): string {
  return `${ctx.baseUrl}/api/v1/users/${factor.userId}/factors/${factor.id}`;
}

function qrCode(ctx: Ctx, factor: OktaFactor) {
  return { href: `${factorUrl(ctx, factor)}/qr/${factor.qrToken}`, type: 'image/png' };
}

/** The links Okta puts on a factor: how to finish enrolling it while pending, how to verify it once active. */
function factorLinks(ctx: Ctx, factor: OktaFactor): Record<string, unknown> {
  const self = factorUrl(ctx, factor);
  const user = `${ctx.baseUrl}/api/v1/users/${factor.userId}`;
  const links: Record<string, unknown> = {};
  const pending = factor.status === 'PENDING_ACTIVATION';
  if (pending && factor.factorType === 'push') links.poll = link(`${self}/lifecycle/activate/poll`, 'POST');
  else if (pending) links.activate = link(`${self}/lifecycle/activate`, 'POST');
  if (pending && SENDS_CODE.has(factor.factorType)) links.resend = [{ name: factor.factorType, ...link(`${self}/resend`, 'POST') }];
  if (!pending && factor.factorType === 'question') links.questions = link(`${user}/factors/questions`, 'GET');
  else if (!pending) links.verify = link(`${self}/verify`, 'POST');
  links.self = pending ? link(self, 'GET') : link(self, 'GET', 'DELETE');
  links.user = link(user, 'GET');
  return links;
}

function pushActivationLinks(ctx: Ctx, factor: OktaFactor) {
  const self = factorUrl(ctx, factor);
  return {
    send: (['email', 'sms'] as const).map((name) => ({ name, ...link(`${self}/lifecycle/activate/${name}`, 'POST') })),
    qrcode: qrCode(ctx, factor),
  };
}

/** What a pending TOTP or push factor embeds to finish enrollment on the device (Factors API, "Embedded resources"). */
function activation(ctx: Ctx, factor: OktaFactor): Record<string, unknown> | undefined {
  if (factor.status !== 'PENDING_ACTIVATION') return undefined;
  if (factor.factorType === 'token:software:totp') {
    // keyLength is the number of digits of a passcode (Factors API, "TOTP Factor Activation object").
    return { timeStep: TOTP_STEP_SECONDS, sharedSecret: factor.sharedSecret, encoding: 'base32', keyLength: TOTP_DIGITS, _links: { qrcode: qrCode(ctx, factor) } };
  }
  if (factor.factorType === 'push') {
    return { expiresAt: factor.activationExpiresAt, factorResult: isPast(ctx, factor.activationExpiresAt) ? 'TIMEOUT' : 'WAITING', _links: pushActivationLinks(ctx, factor) };
  }
  return undefined;
}

/** A factor as Okta returns it, with its links and, while pending, what finishing the enrollment needs. */
export function factorJson(ctx: Ctx, factor: OktaFactor): Record<string, unknown> {
  const embedded = activation(ctx, factor);
  // Okta Verify shows its device profile only once the device completes enrollment.
  const showProfile = !(factor.factorType === 'push' && factor.status === 'PENDING_ACTIVATION');
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.vendorName,
    status: factor.status,
    created: factor.created,
    lastUpdated: factor.lastUpdated,
    ...(showProfile ? { profile: { ...factor.profile } } : {}),
    _links: factorLinks(ctx, factor),
    ...(embedded ? { _embedded: { activation: embedded } } : {}),
  };
}

/** Accepts the passcode of the current time step or one step either side, each step's code once. */
export function checkTotp(ctx: Ctx, factor: OktaFactor, passCode: unknown): void {
  const now = Math.floor(ctx.clock.now().getTime() / 1000 / TOTP_STEP_SECONDS);
  const step = [now - 1, now, now + 1].find((candidate) => totpCode(factor.sharedSecret!, candidate) === passCode);
  if (step === undefined) throw invalidPasscode('passcode');
  if (factor.lastTotpStep !== undefined && step <= factor.lastTotpStep) {
    throw new OktaError('E0000082');
  }
  factor.lastTotpStep = step;
}

/** "Sends" a fresh one-time passcode: voice calls read 5 digits, SMS and email carry 6. */
export function sendCode(ctx: Ctx, factor: OktaFactor, lifetimeSeconds: number): void {
  codeStore(ctx.state)[factor.id] = ctx.ids.token(factor.factorType === 'call' ? 5 : 6, DIGITS);
  factor.passCodeExpiresAt = secondsFromNow(ctx, lifetimeSeconds);
}

/** Checks a passcode against the one last sent; a code works once. */
export function checkSentCode(ctx: Ctx, factor: OktaFactor, passCode: unknown): void {
  const codes = codeStore(ctx.state);
  const sent = codes[factor.id];
  if (sent === undefined || passCode !== sent || isPast(ctx, factor.passCodeExpiresAt)) throw invalidPasscode('passcode');
  delete codes[factor.id];
  delete factor.passCodeExpiresAt;
}

/** How long a sent passcode works: `tokenLifetimeSeconds` sets it for email passcodes only (Okta's enrollFactor and verifyFactor). */
export function codeLifetime(factor: OktaFactor, tokenLifetimeSeconds: number): number {
  return factor.factorType === 'email' ? tokenLifetimeSeconds : SMS_CALL_CODE_SECONDS;
}

/**
 * A phone number as Okta keeps it, or undefined when Okta refuses it. An international number (`+` and the country
 * code, separators allowed: "+1-555-415-1337" in Okta's examples) is kept as written. A number in national form
 * ("415 555 0100", or "162 840 01133" with the trunk prefix 1, as the SDK's own tests enroll) is read as a North
 * American number and returned in E.164 ("+14155550100"); it must be a dialable one: an area code and exchange
 * starting 2-9, and an area code that is neither N11 nor 555 (NANP numbering plan).
 *
 * @example
 * normalizePhone('415 555 0100'); // '+14155550100'
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/[\s().-]/g, '');
  if (compact.startsWith('+')) return /^\+[1-9]\d{6,14}$/.test(compact) ? value : undefined;
  const national = /^1?(\d{10})$/.exec(compact)?.[1];
  if (!national || !/^[2-9]\d{2}[2-9]\d{6}$/.test(national)) return undefined;
  const area = national.slice(0, 3);
  if (area === '555' || area.slice(1) === '11') return undefined;
  return `+1${national}`;
}

/** The profile of a phone factor, from the request or, when it names no number, the pending enrollment's. */
function phoneProfile(input: Record<string, any>, existing: OktaFactor | undefined, updatePhone: boolean): Record<string, any> {
  const phoneNumber = normalizePhone(input.phoneNumber ?? existing?.profile.phoneNumber);
  if (phoneNumber === undefined) throw enrollRefused('Invalid Phone Number.');
  // A pending enrollment keeps its number unless updatePhone=true (Okta's enrollFactor, "updatePhone").
  if (existing && existing.profile.phoneNumber !== phoneNumber && !updatePhone) throw enrollRefused('There is an existing verified phone number.');
  const extension = input.phoneExtension;
  return extension === undefined || extension === null ? { phoneNumber } : { phoneNumber, phoneExtension: String(extension) };
}

function emailProfile(user: OktaUser, input: Record<string, any>): Record<string, any> {
  const email = String(input.email ?? user.profile.email ?? '');
  const known = [user.profile.email, user.profile.secondEmail].filter(Boolean).map((address: string) => address.toLowerCase());
  if (!known.includes(email.toLowerCase())) {
    const summary = 'Api validation failed: Only verified primary or secondary email can be enrolled.';
    throw new OktaError('E0000001', { summary });
  }
  return { email };
}

function questionProfile(input: Record<string, any>): { profile: Record<string, any>; answer: string } {
  const text = typeof input.question === 'string' && Object.hasOwn(SECURITY_QUESTIONS, input.question) ? SECURITY_QUESTIONS[input.question] : undefined;
  if (text === undefined || typeof input.answer !== 'string') throw enrollRefused('Invalid Profile.');
  if (input.answer.trim().length < MIN_ANSWER_LENGTH) throw enrollRefused('The security question answer must be at least 4 characters in length');
  return { profile: { question: input.question, questionText: text }, answer: input.answer };
}

/** What an enrollFactor request asks for: the factor, its profile, and the query's options. */
export interface FactorEnrollment {
  factorType: FactorType;
  provider: Provider;
  profile: Record<string, any>;
  activate: boolean;
  updatePhone: boolean;
  tokenLifetimeSeconds: number;
}

/** Builds the factor an enrollment asks for; a pending enrollment of the same factor is restarted under its id. */
export function enrollment(ctx: Ctx, user: OktaUser, request: FactorEnrollment, existing: OktaFactor | undefined): OktaFactor {
  const { factorType, provider, profile: input } = request;
  const now = nowIso(ctx);
  const factor: OktaFactor = {
    id: existing?.id ?? oktaId(ctx, idPrefix(factorType, provider)),
    userId: user.id,
    factorType,
    provider,
    vendorName: provider,
    status: 'PENDING_ACTIVATION',
    created: existing?.created ?? now,
    lastUpdated: now,
    profile: {},
  };
  switch (factorType) {
    case 'sms':
    case 'call':
      factor.profile = phoneProfile(input, existing, request.updatePhone);
      break;
    case 'email':
      factor.profile = emailProfile(user, input);
      break;
    case 'question': {
      const { profile, answer } = questionProfile(input);
      factor.profile = profile;
      factor.answer = answer;
      // A security question needs no activation (Okta's enrollFactor).
      factor.status = 'ACTIVE';
      break;
    }
    case 'token:software:totp':
      factor.profile = { credentialId: user.profile.login };
      factor.sharedSecret = ctx.ids.token(16, BASE32);
      factor.qrToken = '00' + ctx.ids.token(40, BASE64URL);
      break;
    case 'push':
      factor.profile = { credentialId: user.profile.login };
      factor.qrToken = '00' + ctx.ids.token(40, BASE64URL);
      factor.activationExpiresAt = secondsFromNow(ctx, PUSH_ACTIVATION_SECONDS);
      break;
  }
  // activate=true skips the activation passcode for sms, call and email only (Okta's enrollFactor `activate`).
  if (AUTO_ACTIVATES.has(factorType) && request.activate) factor.status = 'ACTIVE';
  if (factor.status === 'PENDING_ACTIVATION' && SENDS_CODE.has(factorType)) sendCode(ctx, factor, codeLifetime(factor, request.tokenLifetimeSeconds));
  return factor;
}

/** The URL a client polls a push verification at. */
export function transactionUrl(ctx: Ctx, factor: OktaFactor, transaction: FactorTransaction): string {
  return `${factorUrl(ctx, factor)}/transactions/${transaction.id}`;
}

/** Polling a pending Okta Verify activation: WAITING until the device finishes, TIMEOUT once it expires. */
export function pushActivation(ctx: Ctx, factor: OktaFactor): HandlerResult {
  const self = factorUrl(ctx, factor);
  if (factor.status === 'ACTIVE') return ok(factorJson(ctx, factor));
  if (isPast(ctx, factor.activationExpiresAt)) return ok({ factorResult: 'TIMEOUT', _links: { activate: link(`${self}/lifecycle/activate`, 'POST') } });
  return ok({
    expiresAt: factor.activationExpiresAt,
    factorResult: 'WAITING',
    _links: { poll: link(`${self}/lifecycle/activate`, 'POST'), ...pushActivationLinks(ctx, factor) },
  });
}

/** A push challenge starts a transaction the client polls; Okta answers it with 201 (Okta's verifyFactor). */
export function pushChallenge(ctx: Ctx, factor: OktaFactor): HandlerResult {
  const transaction: FactorTransaction = {
    id: 'v2mst.' + ctx.ids.token(22, BASE64URL),
    userId: factor.userId,
    factorId: factor.id,
    created: nowIso(ctx),
    expiresAt: secondsFromNow(ctx, PUSH_VERIFY_SECONDS),
    factorResult: 'WAITING',
  };
  transactionStore(ctx.state)[transaction.id] = transaction;
  const poll = transactionUrl(ctx, factor, transaction);
  return { status: 201, body: { expiresAt: transaction.expiresAt, factorResult: 'WAITING', _links: { poll: link(poll, 'GET'), cancel: link(poll, 'DELETE') } } };
}

/** What a challenge shows of the factor: email challenges show nothing (Okta's verifyFactor). */
export function challengeProfile(factor: OktaFactor): Record<string, unknown> {
  if (factor.factorType === 'email') return {};
  return { profile: { ...factor.profile } };
}

