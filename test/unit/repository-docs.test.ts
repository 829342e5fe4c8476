/**
 * The repository documents itself: nothing points at files outside it, every folder under src has
 * a row in the README's layout table, and every local link of the README and docs/ resolves.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && f !== 'package-lock.json' && existsSync(path.join(root, f)));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('repository docs', () => {
  test('no file points outside the repository (a design file it does not hold, ../shared)', () => {
    const outside = /\.\.\/shared\/|\bDESIGN\.md\b/;
    const hits = tracked.filter((f) => !f.endsWith('.png') && !f.endsWith('.jpg') && f !== 'test/unit/repository-docs.test.ts')
      .filter((f) => outside.test(readFileSync(path.join(root, f), 'utf8')));
    assert.deepEqual(hits, [], `these files cite a document the repository does not hold: ${hits.join(', ')}`);
  });

  test("the README's layout lists every folder under src", () => {
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/${d.name}`);
    const missing = folders.filter((f) => !readme.includes(`| \`${f}\` |`));
    assert.deepEqual(missing, [], `README layout table lacks ${missing.join(', ')}`);
  });

  test('every relative link of the README and docs/ resolves to a file of the repository', () => {
    const docs = ['README.md', ...tracked.filter((f) => f.startsWith('docs/') && f.endsWith('.md'))];
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(path.join(root, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target as string)) continue;
        if (!existsSync(path.join(root, path.dirname(doc), target as string))) broken.push(`${doc} → ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
