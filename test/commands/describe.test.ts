/** src/commands/describe.ts: the one-line forms of records in answers. */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/commands/describe.ts';
import { asa } from '../helpers/records.ts';

describe('summarize', () => {
  it('names the product an audit event came from', () => {
    expect(summarize(asa({ type: 'server.ssh_login', text: 'alice logged in to web-01' }))).toBe('ASA server.ssh_login: alice logged in to web-01');
    const opa = asa({ id: 'f790999f-fe87-467a-9880-6982a583986c', type: 'pam.secret.reveal', src: 'system_log', text: 'Jane Doe revealed secret /db/root', details: { origin: 'OPA' } });
    expect(summarize(opa)).toBe('OPA pam.secret.reveal: Jane Doe revealed secret /db/root');
  });
});
