// Copies the screenshots the browser tests wrote (test-results/**) into docs/images/,
// so the README shows what the tests saw. Run after `npm run test:e2e`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const target = path.join(root, 'docs', 'images');
const WANTED = ['lobby.png', 'prejoin.png', 'call-2.png', 'call-4-chat.png', 'screen-share.png', 'phone.png', 'room-full.png', 'cannot-connect.png'];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

if (!existsSync(results)) {
  console.error('No test-results/: run `npm run test:e2e` first.');
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const found = new Map();
for (const file of files(results)) {
  const name = path.basename(file);
  if (WANTED.includes(name) && (!found.has(name) || statSync(file).mtimeMs > statSync(found.get(name)).mtimeMs)) found.set(name, file);
}
for (const [name, file] of found) {
  copyFileSync(file, path.join(target, name));
  console.log(`docs/images/${name} ← ${path.relative(root, file)}`);
}
const missing = WANTED.filter((name) => !found.has(name));
if (missing.length > 0) console.log(`Not found (their tests did not run or failed): ${missing.join(', ')}`);
