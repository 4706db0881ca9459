/**
 * The Okta twin's state: plain JSON, so it snapshots, exports and persists as is.
 * Records keep the shape Okta returns (minus `_links`, which are built per request from the base URL),
 * plus a few twin-only fields that are never sent (passwords, client secrets are sent only where Okta does).
 */
export interface OktaState {
  org: { id: string; subdomain: string; name: string };
  /** SSWS API tokens and the user each belongs to. */
  apiTokens: { token: string; userId: string; name: string }[];
  /** Users by id, in creation order. */
  users: Record<string, OktaUser>;
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
}

export type UserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

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

export interface OktaOAuthState {
  /** Private RS256 signing keys as JWKs (with kid); the public halves are served at /v1/keys. */
  signingKeys: Record<string, any>[];
  /** Issued tokens by jti (access and refresh), for introspect and revoke. */
  tokens: Record<string, Record<string, any>>;
  /** Pending authorization codes by code. */
  codes: Record<string, Record<string, any>>;
  /** Custom authorization servers by id (the default one is `default`). */
  [key: string]: any;
}
