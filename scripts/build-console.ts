/**
 * Writes the web console as a static site: <out>/index.html, console.css, console.js (default
 * out: dist/console). Host the folder anywhere (docs/console.md). Usage: npm run build:console [-- outDir]
 */
import { resolve } from 'node:path';
import { writeConsoleSite } from '../lib/local/console-assets';

const out = resolve(process.argv[2] ?? 'dist/console');
for (const file of await writeConsoleSite(out)) process.stdout.write(`wrote ${file}\n`);
