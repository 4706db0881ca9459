import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
    .option('--strict', 'check every response against the OpenAPI document (drift answers 500)')
    .option('--clock <instant>', 'start a fixed clock at this ISO-8601 instant instead of following the wall clock')
    .option('--twin <module...>', 'serve a twin of your own: a JS module exporting a defineTwin(...) declaration')
    .option('--plugin <name:key=value,...>', 'install a built-in plugin on every service served (repeatable)', collect)
    .option('--plugins <file>', 'install the plugins of a JSON file: [{ "name": "fault", "options": { "nth": 2 } }, ...]')
    .addHelpText(
      'after',
      `\nBuilt-in plugins:\n${pluginHelp}\n\nExamples:\n  $ npx twinverse serve okta\n  $ npx twinverse serve okta --port 5000 --data ./twins-state.json\n  $ npx twinverse serve okta --plugin rate-limit:limit=100 --plugin fault:fault=503,every=10\n  $ npx twinverse serve --twin ./my-twin.js`,
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
