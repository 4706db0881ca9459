import type { Handler, OperationContext, RequestContext, SigningKey, TokenStore } from '../../src/index.js';
import type { OktaOperationId } from './operation-ids.js';

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
  /** Custom authorization servers by id (the default one is `default`). */
  [key: string]: any;
}

/** A signing key and the authorization server it signs for (`org` when absent; Okta keeps keys per server). */
export type OktaSigningKey = SigningKey & { authorizationServer?: string };

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
