/**
 * Node side of the browser check: bundles the SDK's runtime-neutral subpaths for the browser with esbuild
 * (refusing any `node:` or Node built-in import), writes the bundle into an HTML page and runs it in headless
 * Chromium, then reads back the JSON result the page wrote into its DOM.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HERE = dirname(fileURLToPath(import.meta.url));

/** One check run in the page. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** What the page writes back. */
export interface PageResult {
  userAgent: string;
  checks: CheckResult[];
}

/** Packages that are Node-only as a whole (the CLI); every other package under `packages/` is checked. */
const NODE_ONLY_PACKAGES = new Set(['cli']);

/**
 * The runtime-neutral subpaths, read from the packages' `exports` maps so that a new package or subpath is
 * covered as soon as it exists: every key but `./package.json`, `./node` and `…/node`.
 */
export function neutralSubpaths(): string[] {
  const out: string[] = [];
  const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NODE_ONLY_PACKAGES.has(d.name))
    .filter((d) => existsSync(join(ROOT, 'packages', d.name, 'package.json')))
    .map((d) => d.name)
    .sort();
  for (const pkg of packages) {
    const json = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    for (const key of Object.keys(json.exports)) {
      if (key === './package.json' || key === './node' || key.endsWith('/node')) continue;
      out.push(key === '.' ? json.name : `${json.name}${key.slice(1)}`);
    }
  }
  return out;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** A Node built-in imported by a third-party dependency, tolerated (with a shim) until it is fixed. */
export interface KnownBuiltinImport {
  /** The specifier, e.g. `events`. */
  specifier: string;
  /** The importing file, as a path suffix under node_modules. */
  importer: string;
  /** Why it is there and what fixes it. */
  reason: string;
  /** The module the test bundles in its place (enough for the module to evaluate, not a polyfill). */
  shim: string;
}

/**
 * Known deviations, each listed with its reason (like protobuf-es' failing-tests lists). Only third-party
 * files can be listed: an import from our own `packages/<pkg>/src` is never tolerated. The test fails when
 * an entry is no longer needed, so the list only shrinks.
 *
 * Both come in through `@ami-interop/cim/xml`, whose `encode.ts` imports xmlbuilder2 (for `toXmlBuilder`,
 * the DOM builder; `toXml` itself writes strings): xmlbuilder2's CommonJS build requires `events` (its
 * callback builder extends EventEmitter when the module is evaluated) and its URL dependency requires `url`
 * (called only while parsing URLs, which building XML does not do). A browser bundler without Node
 * polyfills (esbuild, webpack 5, Vite) fails or breaks on them.
 */
export const KNOWN_BUILTIN_IMPORTS: readonly KnownBuiltinImport[] = [
  {
    specifier: 'events',
    importer: 'node_modules/xmlbuilder2/lib/builder/XMLBuilderCBImpl.js',
    reason:
      'xmlbuilder2 (cim/xml-builder toXmlBuilder, off /xml since the browser test found it): XMLBuilderCBImpl extends EventEmitter',
    shim: `export class EventEmitter {
  #l = new Map();
  on(e, f) { this.#l.set(e, [...(this.#l.get(e) ?? []), f]); return this; }
  addListener(e, f) { return this.on(e, f); }
  off(e, f) { this.#l.set(e, (this.#l.get(e) ?? []).filter((g) => g !== f)); return this; }
  removeListener(e, f) { return this.off(e, f); }
  once(e, f) { const g = (...a) => { this.off(e, g); f(...a); }; return this.on(e, g); }
  emit(e, ...a) { const fs = this.#l.get(e) ?? []; for (const f of fs) f(...a); return fs.length > 0; }
}
export default { EventEmitter };`,
  },
  {
    specifier: 'url',
    importer: 'node_modules/@oozcitak/url/lib/URLAlgorithm.js',
    reason: 'xmlbuilder2 → @oozcitak/dom → @oozcitak/url: domainToASCII/domainToUnicode for URL hosts',
    shim: `const no = () => { throw new Error('url shim: not available in the browser check'); };
export const domainToASCII = no;
export const domainToUnicode = no;
export default { domainToASCII, domainToUnicode };`,
  },
];

/** The real path of an importer with pnpm's store folders collapsed (`…/node_modules/<pkg>/…`). */
function importerKey(importer: string): string {
  return importer.replace(/\\/g, '/').replace(/node_modules\/\.pnpm\/[^/]+\//, '');
}

/**
 * An esbuild plugin that fails the build on any import of a Node built-in (`node:crypto`, `fs`, `events`,
 * …), naming the importing file: that is how a runtime-neutral subpath is held to being neutral. The
 * {@link KNOWN_BUILTIN_IMPORTS} get their shim instead and are recorded in `used`.
 */
export function refuseNodeBuiltins(used: Set<KnownBuiltinImport> = new Set()): esbuild.Plugin {
  return {
    name: 'refuse-node-builtins',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith('node:') && !NODE_BUILTINS.has(args.path)) return undefined;
        // A bare name like "events" could also be an npm package; Node's built-in list decides, as Node does.
        const key = importerKey(args.importer);
        const known = KNOWN_BUILTIN_IMPORTS.find(
          (k) => k.specifier === args.path && key.endsWith(`/${k.importer}`),
        );
        if (known) {
          used.add(known);
          return { path: known.specifier, namespace: 'known-builtin-shim', pluginData: known };
        }
        return {
          errors: [
            {
              text: `Node built-in "${args.path}" imported by ${args.importer.replace(`${ROOT}/`, '')} reached the browser bundle`,
            },
          ],
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'known-builtin-shim' }, (args) => ({
        contents: (args.pluginData as KnownBuiltinImport).shim,
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundles `contents` (an ES module resolved from this folder) for the browser: IIFE, workspace packages
 * resolved to their TypeScript sources through the `ami-source` condition, Node built-ins refused.
 */
export async function bundleForBrowser(
  contents: string,
): Promise<esbuild.BuildResult & { text: string; shimmed: KnownBuiltinImport[] }> {
  const used = new Set<KnownBuiltinImport>();
  const result = await esbuild.build({
    stdin: { contents, resolveDir: HERE, sourcefile: 'browser-entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    conditions: ['ami-source', 'browser', 'import'],
    plugins: [refuseNodeBuiltins(used)],
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = result.outputFiles?.[0]?.text ?? '';
  return { ...result, text, shimmed: [...used] };
}

/** The generated entry: every neutral subpath as a namespace, handed to the checks in `entry.ts`. */
export function entrySource(subpaths: readonly string[]): string {
  const imports = subpaths.map((s, i) => `import * as m${i} from '${s}';`).join('\n');
  const table = subpaths.map((s, i) => `  ${JSON.stringify(s)}: m${i},`).join('\n');
  return `${imports}\nimport { main } from './entry.ts';\nvoid main({\n${table}\n});\n`;
}

/** `<` escaped so that a `</script>` inside a string cannot close the inline script. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * The page: an error trap first (so an exception while the bundle evaluates is reported, not lost), the
 * input as JSON, then the bundle as a classic inline script (ES modules are blocked from file://).
 */
export function pageHtml(bundle: string, input: unknown): string {
  const json = JSON.stringify(input).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ami-interop browser check</title></head>
<body>
<pre id="errors"></pre>
<pre id="result" data-state="pending"></pre>
<script>
window.addEventListener('error', function (e) {
  document.getElementById('errors').textContent += 'error: ' + (e.error && e.error.stack || e.message) + '\\n';
});
window.addEventListener('unhandledrejection', function (e) {
  document.getElementById('errors').textContent += 'unhandledrejection: ' + (e.reason && e.reason.stack || e.reason) + '\\n';
});
window.__AMI_INPUT__ = ${json};
</script>
<script>
${inlineScript(bundle)}
</script>
</body></html>
`;
}

/** The Chromium binary: `$CHROME_BIN`, else `chromium` / `chromium-browser` / `google-chrome` on PATH. */
export function findChromium(): string | undefined {
  const env = process.env['CHROME_BIN'];
  const candidates = env ? [env] : [];
  const names = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean))
    for (const n of names) candidates.push(join(dir, n));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };

function textOf(dom: string, id: string): string | undefined {
  const m = new RegExp(`<pre id="${id}"[^>]*>([\\s\\S]*?)</pre>`).exec(dom);
  return m?.[1]?.replace(/&(amp|lt|gt|quot|nbsp);/g, (_, e: string) => ENTITIES[e]!);
}

/**
 * Runs `html` (written to `dir/index.html`) in headless Chromium with `--dump-dom` and returns what the page
 * wrote. Virtual time lets the page's promises and timers settle without waiting in real time.
 */
export async function runInChromium(chromium: string, dir: string, html: string): Promise<PageResult> {
  const file = join(dir, 'index.html');
  writeFileSync(file, html);
  const args = [
    '--headless=new',
    '--disable-gpu',
    '--no-sandbox',
    '--no-first-run',
    '--disable-extensions',
    '--disable-dev-shm-usage',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--virtual-time-budget=30000',
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(chromium, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
      if (err) reject(new Error(`${chromium} failed: ${err.message}\n${errOut}`));
      else resolve({ stdout: out, stderr: errOut });
    });
  });
  const errors = textOf(stdout, 'errors')?.trim();
  const state = /<pre id="result" data-state="([a-z]+)"/.exec(stdout)?.[1];
  const result = textOf(stdout, 'result');
  if (state !== 'done' || !result)
    throw new Error(
      `the page did not finish (state ${state ?? 'missing'})` +
        `${errors ? `\npage errors:\n${errors}` : ''}\nchromium stderr:\n${stderr.slice(-4000)}`,
    );
  const parsed = JSON.parse(result) as PageResult;
  if (errors) parsed.checks.push({ name: 'no uncaught page errors', ok: false, detail: errors });
  return parsed;
}
