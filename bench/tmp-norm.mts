import { makeDeliveries } from '/work/main/bench/records.ts';
import { normalizeEvent } from '/work/main/src/normalize/index.ts';
const bodies = makeDeliveries(2000, 20);
const envs = bodies.map((b) => JSON.parse(b));
for (let k = 0; k < 5; k++) { const t = performance.now(); for (const e of envs) for (const ev of e.data.events) normalizeEvent(ev, 'hook'); console.log(((performance.now() - t) / 40000 * 1000).toFixed(2), 'µs/event'); }
