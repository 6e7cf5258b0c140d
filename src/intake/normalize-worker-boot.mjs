// Worker threads do not inherit tsx's TypeScript loader on Node 20, so the worker registers it itself
// before loading its TypeScript entry. Plain JavaScript on purpose: this file must load without tsx.
import { register } from 'tsx/esm/api';

register();
await import('./normalize-worker.ts');
