// Runs every uvu test file under test/ (TypeScript through tsx) and ends with one line CI
// tools read: "N passed, N failed, N skipped". Exits non-zero when anything failed or
// nothing ran.
import { spawn } from 'node:child_process';

const args = ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', ...process.argv.slice(2), '--ignore', 'support', '--no-color'];
const child = spawn(process.execPath, args, { stdio: ['inherit', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk;
});
child.on('close', (code) => {
  const read = (label) => Number(output.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
  const total = read('Total');
  const passed = read('Passed');
  const skipped = read('Skipped');
  const crashed = code !== 0 && total === passed;
  const failed = total - passed + (crashed ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (total === 0) console.error('No test ran.');
  process.exit(failed > 0 || total === 0 || code !== 0 ? 1 : 0);
});
