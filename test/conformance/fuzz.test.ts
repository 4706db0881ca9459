/**
 * A seeded, bounded fuzz run for every twin in the catalog: a few hundred requests drawn from the twin's own OpenAPI
 * document (valid ones, and ones broken in a single way each) sent in process to a strict twin. None may answer 5xx
 * or cause a drift or failure event, and afterwards the state must still export as JSON and the probe read answer.
 * `npm run fuzz -- --seed N --count N` runs the same generator longer; a finding names its seed and index.
 */
import { expect, test } from 'vitest';
import { twinCatalog } from '../../twins/index.js';
import { formatFinding, fuzzTwin } from '../support/fuzz.js';

const SEED = 20261206;
const COUNT = 500;

for (const definition of Object.values(twinCatalog)) {
  test(`${definition.name}: ${COUNT} seeded requests from its own document answer no 5xx and no drift, and leave a readable state`, async () => {
    const report = await fuzzTwin(definition, { seed: SEED, count: COUNT });
    expect(report.findings.map(formatFinding), `seed ${SEED}`).toEqual([]);
    expect(report.after).toEqual({ stateStatus: 200, stateIsJson: true, probeStatus: definition.probes ? 200 : null });
  }, 30_000);
}

test('the same seed gives the same requests and the same answers; another seed gives others', async () => {
  const definition = Object.values(twinCatalog)[0];
  const first = await fuzzTwin(definition, { seed: SEED, count: 60 });
  const again = await fuzzTwin(definition, { seed: SEED, count: 60 });
  const other = await fuzzTwin(definition, { seed: SEED + 1, count: 60 });
  expect(again.transcript).toEqual(first.transcript);
  expect(other.transcript).not.toEqual(first.transcript);
});
