/**
 * The page's static files, read once at start: the dashboard's own files from ./public, and from
 * node_modules the charting library's UMD build, date-fns' browser build and Chart.js' date-fns
 * adapter (the time axes; served by us, never from a CDN). Only these named files are served, so
 * a request path can never reach anything else on disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

/** Where chart.js keeps its UMD build (the package's exports do not list it, so go by its folder). */
function chartJsUmdPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return path.join(path.dirname(main), 'chart.umd.min.js');
}

/** A file of an installed package, found from the package's main module (their exports do not list these files). */
function packageFile(pkg: string, relativeToMain: string): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve(pkg)), relativeToMain);
}

function asset(file: string): Asset {
  const type = CONTENT_TYPES[path.extname(file)];
  if (!type) throw new Error(`dashboard asset ${file}: no content type for its extension`);
  return { body: readFileSync(file), contentType: type };
}

/** URL path → file contents, for every file the page needs. */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(PUBLIC_DIR)) {
    if (name.startsWith('.')) continue;
    const urlPath = name === 'index.html' ? '/' : `/assets/${name}`;
    assets.set(urlPath, asset(path.join(PUBLIC_DIR, name)));
  }
  assets.set('/vendor/chart.umd.min.js', asset(chartJsUmdPath()));
  // date-fns' browser build sets window.dateFns, which the adapter's UMD build reads.
  assets.set('/vendor/date-fns.min.js', asset(packageFile('date-fns', 'cdn.min.js')));
  assets.set('/vendor/chartjs-adapter-date-fns.min.js', asset(packageFile('chartjs-adapter-date-fns', 'chartjs-adapter-date-fns.min.js')));
  return assets;
}
