#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { twinRegistry } from '../../twins/registry.js';
import { serve } from './serve.js';

const program = new Command();

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

program
  .name('twinverse')
  .description('Digital twins of SaaS APIs (Okta, Jira, Slack, Google Docs) for end-to-end tests.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Serve one or more twins over HTTP, each on its own port counting up from --port.')
  .argument('<services...>', `services to serve: ${Object.keys(twinRegistry).join(', ')}`)
  .option('-p, --port <port>', 'port of the first service (0 picks free ports)', parsePort, 4010)
  .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
  .option('-d, --data <file>', 'keep state in this JSON file across restarts (written atomically)')
  .option('-s, --seed <files...>', 'start from these state exports (as GET /__twin/state returns them) instead of the default seed')
  .option('--strict', 'check every response against the OpenAPI document (drift answers 500)')
  .option('--clock <instant>', 'start a fixed clock at this ISO-8601 instant instead of following the wall clock')
  .addHelpText('after', '\nExample:\n  $ npx twinverse serve okta\n  $ npx twinverse serve okta --port 5000 --data ./twins-state.json')
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
    const started = await serve(services, twinRegistry, options);
    if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
      console.error(`[twinverse] listening on ${options.host}: anyone who reaches it can reset or replace the state through /__twin`);
    }
    close = started.close;
    for (const s of started.served) {
      console.log(`${s.name.padEnd(6)} ${s.url}`);
      for (const line of s.definition.credentials.lines) console.log(`       ${line}`);
    }
    console.log(`admin: ${started.served.map((s) => `${s.url}/__twin/health`).join('  ')}`);
  });

program
  .command('list')
  .description('List the services twinverse can serve and their default credentials.')
  .action(() => {
    for (const [name, definition] of Object.entries(twinRegistry)) {
      console.log(name);
      for (const line of definition.credentials.lines) console.log(`  ${line}`);
    }
  });

program.parseAsync(process.argv).catch((error: Error) => {
  console.error(error.message.startsWith('[twinverse]') ? error.message : `[twinverse] ${error.message}`);
  process.exit(1);
});
