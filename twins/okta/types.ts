import type { Handler, OperationContext, RequestContext, SigningKey, TokenStore } from '../../src/index.js';
import type { OktaOperationId } from './operation-ids.js';
import type { OktaEventHook } from './model/event-hooks.js';
import type { OktaLogEvent } from './model/system-log.js';

export type { OktaOperationId } from './operation-ids.js';

/**
 * The Okta twin's state: plain JSON, so it snapshots, exports and persists as is.
 * Records keep the shape Okta returns (minus `_links`, which are built per request from the base URL),
 * plus a few twin-only fields that are never sent (passwords, client secrets are sent only where Okta does).
 *
 * @example
 * const okta = createOktaTwin();
 * okta.state.users['00uadmintwin00000001'].profile.login; // 'admin@twin.test'
 */
export interface OktaState {
  org: { id: string; subdomain: string; name: string };
  /** SSWS API tokens and the user each belongs to. */
  apiTokens: { token: string; userId: string; name: string }[];
  /** Users by id, in creation order. */
  users: Record<string, OktaUser>;
  /** User types by id; exactly one is the default. */
  userTypes: Record<string, OktaUserType>;
  /** User profile schemas by id (`osc…`), one per user type. */
  userSchemas: Record<string, OktaUserSchema>;
  /** Groups by id, in creation order. */
  groups: Record<string, OktaGroup>;
  /** Group id to member user ids, in the order they were added. */
  groupMembers: Record<string, string[]>;
  /** Applications by id, in creation order. An OPENID_CONNECT app is also an OAuth client. */
  apps: Record<string, OktaApp>;
  /** App id to user id to the assignment (AppUser) record. */
  appUsers: Record<string, Record<string, Record<string, any>>>;
  /** App id to group id to the assignment (ApplicationGroupAssignment) record. */
  appGroups: Record<string, Record<string, Record<string, any>>>;
  oauth: OktaOAuthState;
  /** Enrolled MFA factors by id (stored without `_links`), in enrollment order. Absent from older exports. */
  factors?: Record<string, OktaFactor>;
  /**
   * Factor id to the one-time passcode the twin last "sent" by sms, call or email (enrollment, resend or a verify
   * challenge): a test reads it here, as a person would read their phone.
   */
  factorCodes?: Record<string, string>;
  /** Push verification transactions by id. A test plays the device by setting `factorResult` to SUCCESS or REJECTED. */
  factorTransactions?: Record<string, FactorTransaction>;
  /** Group rules by id, in creation order. Absent from older exports. */
  groupRules?: Record<string, OktaGroupRule>;
  /**
   * Rule id to the users whose memberships in the rule's groups the rule manages: those it added, and members it
   * took over by matching (Okta shows them as "managed by rule"). Deactivating the rule keeps the list.
   */
  groupRuleMembers?: Record<string, string[]>;
  /** Identity providers by id (`0oa…`, stored without `_links`), in creation order. Absent from older exports. */
  identityProviders?: Record<string, Record<string, any> & { id: string; status: 'ACTIVE' | 'INACTIVE'; name: string; type: string }>;
  /** Trusted origins by id (`tos…`, stored without `_links`), in creation order. Absent from older exports. */
  trustedOrigins?: Record<string, OktaTrustedOrigin>;
  /** Inline hooks by id (`cal…`), with the secret of their auth scheme, which is never sent. Absent from older exports. */
  inlineHooks?: Record<string, Record<string, any> & { id: string; status: 'ACTIVE' | 'INACTIVE'; name: string; type: string }>;
  /** Linked object definitions by primary relationship name. Absent from older exports. */
  linkedObjects?: Record<string, { primary: LinkedObjectDetails; associated: LinkedObjectDetails }>;
  /**
   * Primary relationship name to associated user id to its primary user id: an associated user has at most one primary
   * user per relationship (a manager has many subordinates, a subordinate one manager).
   */
  linkedObjectValues?: Record<string, Record<string, string>>;
  /** App id to its key credentials (private keys never sent), in creation order. Absent from older exports. */
  appKeys?: Record<string, OktaAppKey[]>;
  /** Policies by id (OKTA_SIGN_ON, PASSWORD, MFA_ENROLL, ACCESS_POLICY), Okta's default ones seeded. Absent from older exports. */
  policies?: Record<string, OktaPolicy>;
  /** Policy rules by id; each names its policy. Absent from older exports. */
  policyRules?: Record<string, OktaPolicyRule>;
  /** The org's authenticators by id: which kinds of factor may be enrolled. Absent from older exports. */
  authenticators?: Record<string, OktaAuthenticator>;
  /** User id to the admin roles assigned to the user directly (the seeded admin is SUPER_ADMIN). */
  userRoles?: Record<string, AdminRoleAssignment[]>;
  /** Group id to the admin roles assigned to the group; its members hold them. */
  groupRoles?: Record<string, AdminRoleAssignment[]>;
  /** Okta sessions by id, as the Sessions API and `/authorize` (the `sid` cookie) see them. */
  sessions?: Record<string, OktaSession>;
  /** One-time session tokens by value: what a SUCCESS sign-in hands out, spent by a session create or `/authorize`. */
  sessionTokens?: Record<string, SessionTokenRecord>;
  /** Authentication API transactions by state token. */
  authnTransactions?: Record<string, AuthnTransaction>;
  /**
   * Recovery tokens by value: those a reset_password, a forgot-password or an unlock request "emails". A test reads
   * them here, as a person would read their inbox.
   */
  recoveryTokens?: Record<string, RecoveryTokenRecord>;
  /** User id to the failed sign-ins since the last success, toward the password policy's lockout. */
  signInFailures?: Record<string, number>;
  /** User id to the user's previous passwords, newest first, for the password policy's history rule. Never sent. */
  passwordHistory?: Record<string, string[]>;
  /**
   * The System Log, oldest first: every event the twin wrote (twins/okta/model/system-log.ts `logEvent`), as
   * `GET /api/v1/logs` returns them. Absent from older exports.
   */
  systemLog?: OktaLogEvent[];
  /** Event hooks by id, in creation order (stored without `_links`; the auth header value is never sent back). */
  eventHooks?: Record<string, OktaEventHook>;
}

/** A trusted origin as Okta returns it (without `_links`). */
export interface OktaTrustedOrigin {
  id: string;
  name: string;
  origin: string;
  scopes: { type: 'CORS' | 'REDIRECT' | 'IFRAME_EMBED'; allowedOktaApps?: string[] }[];
  status: 'ACTIVE' | 'INACTIVE';
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
}

/** One side of a linked object definition (`primary` or `associated`). */
export interface LinkedObjectDetails {
  name: string;
  title: string;
  description: string | null;
  type: 'USER';
}

/** An app's key credential: a self-signed certificate for its public key, and the private key (twin-only, never sent). */
export interface OktaAppKey {
  kid: string;
  created: string;
  lastUpdated: string;
  expiresAt: string;
  /** Base64 DER of the X.509 certificate. */
  x5c: string[];
  'x5t#S256': string;
  e: string;
  n: string;
  /** Twin-only: the private key as a JWK. */
  privateJwk: Record<string, string>;
}

/** The factor types the twin emulates. */
export type FactorType = 'sms' | 'call' | 'email' | 'question' | 'token:software:totp' | 'push';

/** A user's factor as Okta returns it (without `_links` and `_embedded`), plus twin-only secrets that are never sent. */
export interface OktaFactor {
  id: string;
  /** Twin-only: the user the factor belongs to. */
  userId: string;
  factorType: FactorType;
  provider: 'OKTA' | 'GOOGLE';
  vendorName: string;
  status: 'PENDING_ACTIVATION' | 'ACTIVE';
  created: string;
  lastUpdated: string;
  profile: Record<string, any>;
  /** Twin-only: the base32 TOTP secret (token:software:totp). */
  sharedSecret?: string;
  /** Twin-only: the time step of the last TOTP passcode accepted, so a code works once. */
  lastTotpStep?: number;
  /** Twin-only: the security question answer (question). */
  answer?: string;
  /** Twin-only: when the passcode in `factorCodes` stops working. */
  passCodeExpiresAt?: string;
  /** Twin-only: the token in the QR code link (token:software:totp, push). */
  qrToken?: string;
  /** Twin-only: when a pending push activation times out. */
  activationExpiresAt?: string;
}

/** A push verification: WAITING until the device answers (a test sets it) or `expiresAt` passes (TIMEOUT). */
export interface FactorTransaction {
  id: string;
  userId: string;
  factorId: string;
  created: string;
  expiresAt: string;
  factorResult: 'WAITING' | 'SUCCESS' | 'REJECTED';
}

/** The states of Okta's user status machine. */
export type UserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

/** A user as Okta returns it (without `_links`), plus twin-only secrets that are never sent. */
export interface OktaUser {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  transitioningToStatus: string | null;
  type: { id: string };
  profile: Record<string, any>;
  /** What Okta shows of the credentials (never the password value). */
  credentials: Record<string, any>;
  /** Twin-only: the password, to check resource-owner and authorize logins. Never sent. */
  password: string | null;
  /** Twin-only: the recovery question and answer. Never sent as is. */
  recoveryQuestion: { question: string; answer: string } | null;
}

/** A user type as Okta returns it (without `_links`), plus the id of its schema. */
export interface OktaUserType {
  id: string;
  name: string;
  displayName: string;
  description: string;
  createdBy: string;
  lastUpdatedBy: string;
  created: string;
  lastUpdated: string;
  default: boolean;
  /** Twin-only: the schema the type's `schema` link names. */
  schemaId: string;
}

/**
 * A user profile schema. The Okta-defined `#base` properties live in code (twins/okta/model/schemas.ts); the state keeps
 * only what an org may change about them, and the whole `#custom` subschema.
 */
export interface OktaUserSchema {
  id: string;
  title: string;
  created: string;
  lastUpdated: string;
  /** Base property name to the attribute keys the org changed (permissions, required, pattern). */
  base: Record<string, Record<string, any>>;
  /** Custom property name to its attribute, in the order they were added. */
  custom: Record<string, Record<string, any>>;
}

/** A group rule as Okta returns it (without `_embedded`); INVALID is not stored but derived from missing target groups. */
export interface OktaGroupRule {
  type: 'group_rule';
  id: string;
  status: 'ACTIVE' | 'INACTIVE';
  name: string;
  created: string;
  lastUpdated: string;
  conditions: {
    people?: { users?: { exclude?: string[] }; groups?: { exclude?: string[] } };
    expression: { value: string; type: string };
  };
  actions: { assignUserToGroups: { groupIds: string[] } };
}

/** A group as Okta returns it (without `_links` and `_embedded`). */
export interface OktaGroup {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  profile: { name: string; description?: string | null; [key: string]: any };
}

/** An application as Okta returns it (without `_links`); OIDC apps carry credentials.oauthClient. */
export type OktaApp = Record<string, any> & { id: string; status: 'ACTIVE' | 'INACTIVE'; signOnMode: string };

/** The authorization servers' state: signing keys, issued tokens, pending codes, grants and client roles. */
export interface OktaOAuthState {
  /** Private RS256 signing keys as JWKs (with kid); the public halves are served at /v1/keys. */
  signingKeys: OktaSigningKey[];
  /** Issued tokens by jti (access) or value (refresh), for introspect and revoke. */
  tokens: TokenStore;
  /** Pending authorization codes by code. */
  codes: Record<string, CodeRecord>;
  /** App id to its grants collection: the Okta API scopes an admin granted it (stored without `_links`). */
  appGrants?: Record<string, ScopeConsentGrant[]>;
  /** OAuth client id to the admin roles assigned to it (stored without `_links`). */
  clientRoles?: Record<string, ClientRoleAssignment[]>;
  /**
   * Refresh token to the epoch second it stops working whatever its use, when its access rule limits refresh token
   * lifetime (`refreshTokenLifetimeMinutes`); a token rotated from it keeps the deadline.
   */
  refreshTokenDeadlines?: Record<string, number>;
  /** Custom authorization servers by id (the seeded one is `default`), with their scopes, claims and access policies. */
  authorizationServers?: Record<string, CustomAuthorizationServer>;
  /**
   * Authorization server key (`org` or a custom server's id) to the DPoP nonce it hands out until `expiresAt`, and the
   * earlier nonces still accepted until their `acceptedUntil` (epoch seconds; twins/okta/model/dpop.ts).
   */
  dpopNonces?: Record<string, { value: string; expiresAt: number; older?: { value: string; acceptedUntil: number }[] }>;
  /**
   * The DPoP proofs already accepted, by a hash of their key's thumbprint and `jti`, to the epoch second after which
   * their `iat` is out of the acceptance window anyway (so the entry is dropped): a proof is accepted once.
   */
  dpopProofs?: Record<string, number>;
  /** A public client's refresh token to the JWK thumbprint of the DPoP key it is bound to (RFC 9449 §5). */
  dpopRefreshBindings?: Record<string, string>;
  [key: string]: any;
}

/**
 * A signing key and the authorization server it signs for (`org` when absent; Okta keeps keys per server). A custom
 * server's key is ACTIVE (signs), NEXT (published, signs after the next rotation) or EXPIRED (rotated out, still
 * published); a key without a status is ACTIVE.
 */
export type OktaSigningKey = SigningKey & { authorizationServer?: string; status?: 'ACTIVE' | 'NEXT' | 'EXPIRED'; created?: string };

/** A scope of a custom authorization server, as Okta's authorization server API returns it (without `_links`). */
export interface OAuthScope {
  id: string;
  name: string;
  displayName?: string;
  description?: string;
  system: boolean;
  /** `ALL_CLIENTS` publishes the scope in the discovery documents. */
  metadataPublish: 'ALL_CLIENTS' | 'NO_CLIENTS';
  consent: 'IMPLICIT' | 'REQUIRED' | 'FLEXIBLE';
  /** Granted when a request names no scope. */
  default: boolean;
  optional?: boolean;
}

/** A custom claim of a custom authorization server (without `_links`). RESOURCE claims go in access tokens, IDENTITY ones in ID tokens. */
export interface OAuthClaim {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  claimType: 'RESOURCE' | 'IDENTITY';
  valueType: 'EXPRESSION' | 'GROUPS' | 'SYSTEM';
  value: string;
  alwaysIncludeInToken: boolean;
  system: boolean;
  /** Only when one of these scopes is granted (any scope when empty). */
  conditions: { scopes: string[] };
  group_filter_type?: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX';
}

/** A rule of an access policy: who may get tokens by which grants for which scopes, and the tokens' lifetimes. */
export interface AuthServerPolicyRule {
  id: string;
  type: 'RESOURCE_ACCESS';
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  priority: number;
  system: boolean;
  created: string;
  lastUpdated: string;
  conditions: {
    people: { users: { include: string[]; exclude: string[] }; groups: { include: string[]; exclude: string[] } };
    grantTypes: { include: string[] };
    scopes: { include: string[] };
  };
  actions: {
    token: {
      accessTokenLifetimeMinutes: number;
      refreshTokenLifetimeMinutes: number;
      refreshTokenWindowMinutes: number;
      /** A token inline hook (com.okta.oauth2.tokens.transform) called before the rule's tokens are minted at /token. */
      inlineHook?: { id: string };
    };
  };
}

/** An access policy of a custom authorization server, with its rules (stored inline, sent through their own endpoints). */
export interface AuthServerPolicy {
  id: string;
  type: 'OAUTH_AUTHORIZATION_POLICY';
  name: string;
  description: string;
  status: 'ACTIVE' | 'INACTIVE';
  priority: number;
  system: boolean;
  created: string;
  lastUpdated: string;
  conditions: { clients: { include: string[] } };
  rules: AuthServerPolicyRule[];
}

/** A custom authorization server as stored in `state.oauth.authorizationServers` (its issuer is derived from the base URL). */
export interface CustomAuthorizationServer {
  id: string;
  name: string;
  description: string;
  audiences: string[];
  status: 'ACTIVE' | 'INACTIVE';
  created: string;
  lastUpdated: string;
  scopes: OAuthScope[];
  /** Absent from older exports: no custom claims. */
  claims?: OAuthClaim[];
  /** Absent from older exports: the server issues tokens under Okta's default rule (see model/authorization-servers.ts). */
  policies?: AuthServerPolicy[];
  /** When the server's signing key was last rotated (its creation until then). */
  lastRotated?: string;
}

/** A pending authorization code, as /authorize stores it in `state.oauth.codes`. */
export interface CodeRecord {
  server: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  authTime: number;
  expiresAt: number;
}

/** An Okta API scope granted to an app by an admin (`POST /api/v1/apps/{appId}/grants`). */
export interface ScopeConsentGrant {
  id: string;
  status: 'ACTIVE';
  created: string;
  createdBy: { id: string; type: string };
  lastUpdated: string;
  issuer: string;
  clientId: string;
  scopeId: string;
  source: 'ADMIN';
}

/** A standard admin role assigned to an OAuth client (`POST /oauth2/v1/clients/{clientId}/roles`). */
export interface ClientRoleAssignment {
  id: string;
  label: string;
  type: string;
  status: 'ACTIVE';
  created: string;
  lastUpdated: string;
  assignmentType: 'CLIENT';
}

/**
 * Who is calling: the owner of an SSWS API token, an OAuth access token's subject and client, or nobody (open endpoints).
 *
 * @example
 * const caller: OktaAuth = { kind: 'apiToken', userId: '00uadmintwin00000001' };
 */
export type OktaAuth =
  | { kind: 'apiToken'; userId: string }
  | { kind: 'accessToken'; userId: string | null; clientId: string; scopes: string[] }
  | { kind: 'none' };

/**
 * What every Okta handler sees of its request: the routed, authenticated context. One type for the whole twin.
 *
 * @example
 * const getMe = (ctx: Ctx) => ok(userJson(ctx, findUser(ctx, 'me'), 'full'));
 */
export type Ctx = OperationContext<OktaState, OktaAuth>;

/**
 * A request context before authentication (renderError, onResponse, authenticate see this): what helpers take when
 * they serve those hooks too. A `Ctx` is one.
 *
 * @example
 * const base = (ctx: RequestCtx) => ctx.baseUrl;
 */
export type RequestCtx = RequestContext<OktaState>;

/**
 * One Okta operation's handler.
 *
 * @example
 * const keys: OktaHandler = (ctx) => ({ status: 200, body: publicJwks(ctx.state, 'org') });
 */
export type OktaHandler = Handler<OktaState, OktaAuth>;

/**
 * A part of the Okta handler map, as each file under api/ exports it: `satisfies OktaHandlers` makes a key that
 * is not an operationId of openapi/okta.yaml a compile error. index.ts joins the parts into the complete map.
 *
 * @example
 * export const userTypeHandlers = { listUserTypes: (ctx) => ok([]) } satisfies OktaHandlers;
 */
export type OktaHandlers = Partial<Record<OktaOperationId, OktaHandler>>;

/** The policy types the twin emulates. */
export type PolicyType = 'OKTA_SIGN_ON' | 'PASSWORD' | 'MFA_ENROLL' | 'ACCESS_POLICY';

/** A policy as Okta returns it (without `_links`). */
export interface OktaPolicy {
  id: string;
  type: PolicyType;
  name: string;
  description: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  priority: number;
  system: boolean;
  created: string;
  lastUpdated: string;
  conditions: Record<string, any> | null;
  settings?: Record<string, any>;
}

/** A policy rule as Okta returns it (without `_links`), plus the policy it belongs to. */
export interface OktaPolicyRule {
  id: string;
  /** Twin-only: the rule's policy. */
  policyId: string;
  type: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  priority: number;
  system: boolean;
  created: string;
  lastUpdated: string;
  conditions: Record<string, any> | null;
  actions: Record<string, any>;
}

/** An authenticator of the org as Okta returns it (without `_links`). */
export interface OktaAuthenticator {
  id: string;
  key: string;
  type: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  created: string;
  lastUpdated: string;
  settings?: Record<string, any>;
}

/** A standard admin role assigned to a user or a group, plus its targets (twin-only until listed through /targets). */
export interface AdminRoleAssignment {
  id: string;
  label: string;
  type: string;
  status: 'ACTIVE';
  created: string;
  lastUpdated: string;
  assignmentType: 'USER' | 'GROUP';
  /** Twin-only: the groups the role is limited to (USER_ADMIN, GROUP_MEMBERSHIP_ADMIN, HELP_DESK_ADMIN...); none means all. */
  groupTargets?: string[];
  /** Twin-only: the apps the role is limited to, by catalog name and, for one instance, id (APP_ADMIN); none means all. */
  appTargets?: { name: string; id?: string }[];
}

/** An Okta session (without `_links`). */
export interface OktaSession {
  id: string;
  userId: string;
  login: string;
  status: 'ACTIVE';
  createdAt: string;
  expiresAt: string;
  lastPasswordVerification: string;
  lastFactorVerification: string | null;
  amr: string[];
  /** Twin-only: when the session ends whatever refreshes say (the sign-on rule's maxSessionLifetimeMinutes). */
  endsAt?: string;
}

/** A session token: single use, short-lived. */
export interface SessionTokenRecord {
  userId: string;
  expiresAt: string;
  amr: string[];
  passwordVerifiedAt: string;
  factorVerifiedAt: string | null;
}

/** An Authentication API transaction, by its state token. */
export interface AuthnTransaction {
  userId: string;
  status: string;
  expiresAt: string;
  relayState?: string;
  /** RECOVERY flows: PASSWORD or UNLOCK. */
  recoveryType?: 'PASSWORD' | 'UNLOCK';
  /** The factors verified so far (amr values). */
  amr: string[];
  passwordVerifiedAt: string | null;
  /** MFA_CHALLENGE: the factor being verified, and the push transaction when it is a push. */
  factorId?: string;
  pushTransactionId?: string;
}

/** A recovery token, as an email would carry it. */
export interface RecoveryTokenRecord {
  userId: string;
  recoveryType: 'PASSWORD' | 'UNLOCK';
  expiresAt: string;
}
