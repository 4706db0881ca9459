/** What run.ts and its child processes agree on. */

export const ORG_URL = 'https://dev-123.okta.com';
export const ADMIN_ID = '00uadmintwin00000001';
export const ADMIN_TOKEN = 'twin-okta-token';
export const SDK_WARMUP_CALLS = 300;

/** What the bare servers answer: the twin's own GET body, and its create answer as a template. */
export interface BareFixture {
  user: unknown;
  created: { profile: Record<string, unknown> } & Record<string, unknown>;
  createdStatus: number;
}

export type SdkTarget = 'twin' | 'bare-msw' | 'no-msw';
export type SdkTask = 'throughput' | 'memory';

export interface ThroughputResult {
  calls: number;
  seconds: number;
  callsPerSec: number;
}

export interface MemoryResult {
  calls: number;
  heapBefore: number;
  heapAfter: number;
  perCall: number;
  /** Resident set size, which also counts memory outside the JS heap (native objects), and heap pages V8 keeps. */
  rssBefore: number;
  rssAfter: number;
  /** Entries in the twin's request journal at the end (null without a twin). */
  journal: number | null;
}
