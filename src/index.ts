/**
 * twinverse's library API, vendor-neutral: the engine, adapters, plugins and the toolkit for twins. The package
 * entry (twins/index.ts) re-exports it with the catalog of shipped twins.
 */
export { createTwin, type Twin, type CreateTwinOptions } from './twin.js';
export { defineTwin, type TwinDefinition, type TwinProbes } from './define-twin.js';
export { EngineError, type Diagnostic, type EngineErrorKind, type RefusalDetails } from './engine/engine-error.js';
export { TwinError } from './engine/twin-error.js';
export { createTwinRuntime, type TwinOptions, type TwinRuntime, type JournalEntry, type TwinEvent } from './engine/twin-runtime.js';
export type {
  TwinRequest,
  TwinResponse,
  TransportFault,
  HandlerResult,
  ResponseDraft,
  Handler,
  OperationContext,
  RoutedContext,
  RequestContext,
  TwinCore,
  TwinCredentials,
  OperationInfo,
  PluginNote,
} from './engine/types.js';
export type { Listening } from './adapters/node-http.js';
export { createExpressApp } from './adapters/express.js';
export { createMswHandlers } from './adapters/msw.js';
export { createClock, type Clock, type ClockOption } from './state/clock.js';
export { createRecord, type TwinExport, type Snapshot } from './state/store.js';
export type { StatePersistence } from './state/persistence.js';
export type { StateChange } from './state/transaction.js';
export type { RecordedExchange, SeedFromRecording } from './record/exchange.js';
export { readHar, parseHar, writeHar, emptyHar, harEntry, recordedExchanges, HarError, type Har, type HarEntry, type HarRequest, type HarResponse, type HarPair } from './record/har.js';
export { createRedactor, mergeRedactions, REDACTED, type RedactOptions, type Redactor } from './record/redact.js';
export { createRecording, startRecordingProxy, createRecordingHandlers, type Recording, type RecordingOptions, type RecordingProxyOptions } from './record/record.js';
export { createReplayer, type Replayer, type MatchOptions, type ReplayRequest, type ReplayAnswer } from './record/replay.js';
export { startReplayServer, createReplayHandlers, type ReplayServerOptions } from './record/replay-server.js';
export { verifyRecording, formatReport, type VerifyOptions, type VerifyReport, type ExchangeResult } from './record/verify.js';
export { compareValues, substituteIds, formOf, type Difference, type Comparison } from './record/compare.js';
export { seedFromRecording, exportFromRecording } from './record/seed.js';
export { goTwin, type GoTwin, type GoTwinOptions } from './driver/go-twin.js';
export { buildGoTwin, goServices, type GoBuild } from './driver/go-build.js';
export type { Plugin, PluginScope, PluginTarget, PluginAnswer, InstalledPlugin } from './plugins/plugin.js';
export { targets } from './plugins/chain.js';
export { rateLimit, type RateLimitOptions, type RateLimitPolicy, type RateLimitWindow } from './plugins/rate-limit.js';
export { fault, type FaultOptions } from './plugins/fault.js';
export { latency, type LatencyOptions } from './plugins/latency.js';
export { lag, type LagOptions } from './plugins/lag.js';
export { expireCredentials, type ExpireCredentialsOptions } from './plugins/expire-credentials.js';
export { paginationQuirks, type PaginationQuirksOptions } from './plugins/pagination.js';
export { linkHeaderList, type ListShape } from './plugins/lists.js';
export { builtInPlugins, pluginFromSpec, type PluginSpec } from './plugins/builtins.js';
export type { Schedule } from './plugins/schedule.js';
export * from './kit/index.js';
