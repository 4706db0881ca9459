import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import type { TwinDefinition } from '../define-twin.js';
import { builtInPlugins } from '../plugins/builtins.js';
import { operationIdsSource } from './operation-ids.js';
import { serve } from './serve.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

function parseBytes(value: string): number {
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(bytes)) throw new InvalidArgumentError('a size is a whole number of bytes');
  return bytes;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parseScore(value: string): number {
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score) || score < 0 || score > 100) throw new InvalidArgumentError('a score is a number from 0 to 100');
  return score;
}

/** The package's version, from the package.json above this file (in the sources or in dist/). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'twinverse' && pkg.version) return pkg.version;
    } catch {
      continue;
    }
  }
  return '0.0.0';
}

/** `--secret name=value` pairs as an object. */
function secretsOf(pairs: string[]): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`[twinverse] --secret ${pair}: write it as name=value, e.g. client_secret=abc`);
    secrets[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return secrets;
}

/** Runs `stop` once on SIGINT or SIGTERM, then exits. */
function untilSignal(stop: () => Promise<void>): void {
  const handler = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`[twinverse] ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * Runs the `twinverse` command over a catalog of twins (the package's bin hands it the shipped ones).
 *
 * @example
 * await runCli(process.argv, { example: exampleTwin });
 */
export async function runCli(argv: string[], catalog: Record<string, TwinDefinition<any, any>>): Promise<void> {
  const program = new Command();
  program
    .name('twinverse')
    .description('Digital twins of SaaS APIs (Okta, Jira, Slack, Google Docs) for end-to-end tests.')
    .showHelpAfterError();

  const pluginHelp = Object.entries(builtInPlugins()).map(([name, summary]) => `  ${name.padEnd(19)} ${summary}`).join('\n');
  program
    .command('serve')
    .description('Serve one or more twins over HTTP, each on its own port counting up from --port.')
    .argument('[services...]', `services to serve: ${Object.keys(catalog).join(', ')}`)
    .option('-p, --port <port>', 'port of the first service (0 picks free ports)', parsePort, 4010)
    .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
    .option('-d, --data <file>', 'keep state in this JSON file across restarts (its folder must exist; changes go to <file>.log)')
    .option('--admin-token <token>', 'require Authorization: Bearer <token> on the admin API (/__twin/*); required with a --host that is not loopback')
    .option('--body-limit <bytes>', "refuse request bodies larger than this with 413 (default: the vendor's limit, else 10 MiB)", parseBytes)
    .option('-s, --seed <files...>', 'start from these state exports (as GET /__twin/state returns them) instead of the default seed')
    .option('--seed-from <[service=]file.har...>', "start from the resources a HAR recording's answers show (a copy of a real org or workspace)")
    .option('--strict', 'check every response against the OpenAPI document (drift answers 500)')
    .option('--clock <instant>', 'start a fixed clock at this ISO-8601 instant instead of following the wall clock')
    .option('--twin <module...>', 'serve a twin of your own: a JS module exporting a defineTwin(...) declaration')
    .option('--plugin <name:key=value,...>', 'install a built-in plugin on every service served (repeatable)', collect)
    .option('--plugins <file>', 'install the plugins of a JSON file: [{ "name": "fault", "options": { "nth": 2 } }, ...]')
    .option('--go', "serve each service's Go twin binary instead of the TypeScript twin (TWINVERSE_GO_BIN, or built from the package's Go sources with Go)")
    .addHelpText(
      'after',
      `\nBuilt-in plugins:\n${pluginHelp}\n\nExamples:\n  $ npx twinverse serve okta\n  $ npx twinverse serve okta --port 5000 --data ./twins-state.json\n  $ npx twinverse serve okta --plugin rate-limit:limit=100 --plugin fault:fault=503,every=10\n  $ npx twinverse serve --twin ./my-twin.js\n  $ npx twinverse serve okta --go`,
    )
    .action(async (services: string[], options) => {
      // Handlers go in before anything is printed: a supervisor may signal as soon as it reads the URL.
      let close: (() => Promise<void>) | undefined;
      const stop = (signal: string) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        (close ?? (() => Promise.resolve()))().then(
          () => {
            console.log(`stopped (${signal})`);
            process.exit(0);
          },
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const started = await serve(services, catalog, options);
      if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
        console.error(`[twinverse] listening on ${options.host}: anyone who reaches it can call the twin's API; the admin API requires the admin token`);
      }
      close = started.close;
      for (const s of started.served) {
        console.log(`${s.name.padEnd(6)} ${s.url}`);
        for (const line of s.twin.definition.credentials.lines) console.log(`       ${line}`);
        for (const p of s.twin.plugins.filter((p) => p.origin !== 'twin')) console.log(`       plugin ${p.id} ${p.name} ${JSON.stringify(p.options)}`);
      }
      console.log(`admin: ${started.served.map((s) => `${s.url}/__twin/health`).join('  ')}`);
    });

  program
    .command('record')
    .description("Record a session with the real service through a proxy: requests go to --upstream, exchanges (secrets redacted) to a HAR file.")
    .requiredOption('--upstream <url>', "the vendor's base URL, e.g. https://dev-123.okta.com")
    .requiredOption('-o, --out <file.har>', 'the HAR file to write (rewritten after every exchange)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 4010)
    .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
    .option('--redact-header <name>', 'also redact this header (repeatable)', collect)
    .option('--redact-key <name>', 'also redact this property wherever it appears in bodies, forms and queries (repeatable)', collect)
    .option('--redact-path <path>', 'also redact this dotted JSON path, * for any key or index (repeatable)', collect)
    .addHelpText('after', '\nExample:\n  $ npx twinverse record --upstream https://dev-123.okta.com --port 4010 --out fixtures/okta-session.har')
    .action(async (options) => {
      const { startRecordingProxy } = await import('../record/record.js');
      const { mergeRedactions } = await import('../record/redact.js');
      const proxy = await startRecordingProxy({
        upstream: options.upstream,
        out: resolve(options.out),
        port: options.port,
        host: options.host,
        version: packageVersion(),
        // Every twin's vendor secrets, whichever vendor the upstream is, and what the flags add.
        redact: mergeRedactions(...Object.values(catalog).map((d) => d.secrets), { headers: options.redactHeader, keys: options.redactKey, jsonPaths: options.redactPath }),
      });
      untilSignal(async () => {
        await proxy.close();
        console.log(`recorded ${proxy.recording.har.log.entries.length} exchanges to ${options.out}`);
      });
      console.log(`recording ${options.upstream} through ${proxy.url} into ${options.out} (Ctrl-C to stop)`);
    });

  program
    .command('replay')
    .description('Serve the recorded answers of a HAR file; a request with no match gets 404 naming the closest recorded request.')
    .argument('<file.har>', 'the recording')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 4010)
    .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
    .option('--ignore-query <name>', 'leave this query parameter out of matching (repeatable)', collect)
    .option('--no-query', 'match without the query string')
    .option('--no-body', 'match without the body')
    .option('--match-header <name>', 'match this request header too (repeatable)', collect)
    .option('--strict-sequence', 'answer repeated identical requests once per recorded answer, then as a miss (default: repeat the last)')
    .action(async (file: string, options) => {
      const { readHar } = await import('../record/har.js');
      const { startReplayServer } = await import('../record/replay-server.js');
      const { mergeRedactions } = await import('../record/redact.js');
      const har = await readHar(file);
      const server = await startReplayServer(har, {
        port: options.port,
        host: options.host,
        query: options.query,
        body: options.body,
        ignoreQuery: options.ignoreQuery,
        headers: options.matchHeader,
        sequence: options.strictSequence ? 'strict' : 'repeat-last',
        redact: mergeRedactions(...Object.values(catalog).map((d) => d.secrets)),
      });
      untilSignal(() => server.close());
      console.log(`replaying ${har.log.entries.length} exchanges of ${file} at ${server.url} (Ctrl-C to stop)`);
    });

  program
    .command('verify')
    .description("Send a recording's requests, in order, to a fresh twin and report where its answers differ from the recorded ones.")
    .argument('<file.har>', 'the recording')
    .requiredOption('--service <name>', `the twin to check: ${Object.keys(catalog).join(', ')}`)
    .option('--min-score <score>', 'exit non-zero below this fidelity score (0-100)', parseScore, 90)
    .option('--seed-from-recording', "start the twin from the resources the recording's answers show instead of its seed")
    .option('--header <name>', 'compare this response header too (repeatable)', collect)
    .option('--secret <name=value>', 'the value to send where the recording redacted this property in a query, form or JSON body, e.g. client_secret=... (repeatable)', collect)
    .option('--url <url>', 'check a twin already running at this URL (reset first through its admin API) instead of one in process')
    .option('--admin-token <token>', "that twin's admin token, if it has one")
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options) => {
      const definition = catalog[options.service];
      if (!definition) throw new Error(`[twinverse] unknown service "${options.service}"; known services: ${Object.keys(catalog).join(', ')}`);
      const { readHar } = await import('../record/har.js');
      const { verifyRecording, formatReport } = await import('../record/verify.js');
      const report = await verifyRecording(definition, await readHar(file), {
        seedFromRecording: options.seedFromRecording,
        headers: options.header,
        secrets: secretsOf(options.secret ?? []),
        url: options.url,
        adminToken: options.adminToken,
      });
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      if (report.score < options.minScore) {
        console.error(`[twinverse] fidelity score ${report.score.toFixed(1)} is below --min-score ${options.minScore}`);
        process.exitCode = 1;
      }
    });

  program
    .command('list')
    .description('List the services twinverse can serve and their default credentials.')
    .action(() => {
      for (const [name, definition] of Object.entries(catalog)) {
        console.log(name);
        for (const line of definition.credentials.lines) console.log(`  ${line}`);
      }
    });

  program
    .command('operation-ids')
    .description("Write a TypeScript union of an OpenAPI document's operationIds, for a twin's handler map to be checked against it.")
    .argument('<document>', 'the OpenAPI document (YAML or JSON)')
    .requiredOption('--type <name>', 'the name of the union type, e.g. MyApiOperationId')
    .option('-o, --out <file>', 'write it to this file instead of standard output')
    .action(async (document: string, options: { type: string; out?: string }) => {
      const source = await operationIdsSource(resolve(document), options.type, document);
      if (options.out) await writeFile(options.out, source);
      else process.stdout.write(source);
    });

  await program.parseAsync(argv).catch((error: Error) => {
    console.error(error.message.startsWith('[twinverse]') ? error.message : `[twinverse] ${error.message}`);
    process.exit(1);
  });
}
