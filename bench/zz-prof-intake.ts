import { spawn } from 'node:child_process';
import { postAll } from '/work/main/bench/load.ts';
import { BENCH_SECRET, makeDeliveries } from '/work/main/bench/records.ts';
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', '--input-type=module', '-e', `
process.on('SIGTERM', () => process.exit(0));
await import('/work/main/bench/intake-server.ts');
`], { cwd: '/work/main', stdio: ['ignore', 'pipe', 'inherit'] });
const port: number = await new Promise((res) => child.stdout!.on('data', (d) => { const m = /"port":(\d+)/.exec(String(d)); if (m) res(Number(m[1])); }));
const bodies = makeDeliveries(3200, 20);
const origin = `http://127.0.0.1:${port}`;
await postAll(origin, '/okta/hooks', bodies.slice(0, 200), { authorization: BENCH_SECRET }, 16);
const t = performance.now();
const r = await postAll(origin, '/okta/hooks', bodies.slice(200), { authorization: BENCH_SECRET }, 16);
console.log(JSON.stringify(r), performance.now() - t);
child.kill('SIGTERM');
await new Promise((res) => child.on('exit', res));
