// usage: node zz-shot.mjs URL OUT.png [waitMs]
import { chromium } from 'playwright-core';
const [url, out, wait = '4000'] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 1600, height: 1000 } });
await p.goto(url, { waitUntil: 'networkidle', timeout: 60000 }).catch((e) => console.error('goto', e.message));
await p.waitForTimeout(Number(wait));
await p.screenshot({ path: out, fullPage: false });
await b.close();
