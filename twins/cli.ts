#!/usr/bin/env node
// The `twinverse` command: the library's CLI, handed the catalog of shipped twins.
import { runCli } from '../src/cli/main.js';
import { twinCatalog } from './index.js';

await runCli(process.argv, twinCatalog);
