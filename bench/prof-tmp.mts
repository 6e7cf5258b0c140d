import { spawn } from 'node:child_process';
import { postAll } from '/work/main/bench/load.ts';
import { BENCH_SECRET, makeDeliveries } from '/work/main/bench/records.ts';
const child = spawn(process.execPath, [...(process.env.NODEFLAGS ? process.env.NODEFLAGS.split(' ') : []), '--import', 'tsx', '--input-type=module', '-e', "await import('/work/main/bench/tmp-server.mts')"], { cwd: '/work/main', stdio: ['ignore', 'pipe', 'inherit'] });
const port: number = await new Promise((r) => child.stdout!.on('data', (d) => { const m = /"port":(\d+)/.exec(String(d)); if (m) r(Number(m[1])); }));
const bodies = makeDeliveries(2000, 20);
console.log(await postAll(`http://127.0.0.1:${port}`, '/okta/hooks', bodies, { authorization: BENCH_SECRET }, 16));
child.kill('SIGTERM');
