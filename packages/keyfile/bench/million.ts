/**
 * The 1,000,000-meter run: seals a file meter by meter to a temporary path (streaming), then verifies
 * and opens it streaming, and reports time, file size and peak RSS (process.resourceUsage().maxRSS).
 *
 *   pnpm tsx --conditions=ami-source packages/keyfile/bench/million.ts [count]
 *
 * Memory that grows with the count: the duplicate index (two 64-bit fingerprints a meter, in a table
 * kept at most half full: ~32 bytes a meter). Everything else is bounded by one chunk, one line and one
 * record.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKeyFilePath, sealKeyFileToPath, verifyKeyFilePath } from '../src/node/index.ts';
import { HES, meter, NOW, sealOptions } from '../test/fixtures.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'akf-million-'));
const path = join(dir, 'batch.akf');
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
const rssNow = (): number => process.memoryUsage().rss;
const baseline = rssNow();

function* meters(): Generator<ReturnType<typeof meter>> {
  for (let i = 0; i < count; i++) yield meter(i);
}

try {
  let t = performance.now();
  await sealKeyFileToPath(meters(), path, sealOptions({ random: undefined }));
  const sealMs = performance.now() - t;
  const size = statSync(path).size;
  const afterSeal = process.resourceUsage().maxRSS * 1024;
  t = performance.now();
  const v = await verifyKeyFilePath(path, { now: NOW });
  const verifyMs = performance.now() - t;
  t = performance.now();
  let seen = 0;
  const s = await openKeyFilePath(path, { key: { kind: 'ecdh', privateKey: HES }, now: NOW }, (m) => {
    seen++;
    m.keys.guek.wipe();
  });
  const openMs = performance.now() - t; // includes its own verify pass
  const peak = process.resourceUsage().maxRSS * 1024;
  if (s.count !== count || seen !== count || v.count !== count) throw new Error('count mismatch');
  console.log(
    JSON.stringify(
      {
        meters: count,
        fileSize: mb(size),
        sealSeconds: +(sealMs / 1000).toFixed(1),
        verifySeconds: +(verifyMs / 1000).toFixed(1),
        openSeconds: +(openMs / 1000).toFixed(1),
        baselineRss: mb(baseline),
        peakRssAfterSeal: mb(afterSeal),
        peakRss: mb(peak),
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
