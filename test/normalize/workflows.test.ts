import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/domain/records.ts';
import type { RawEvent } from '../../src/normalize/fields.ts';
import { looksLikePerson, workflowsAttribution } from '../../src/normalize/workflows.ts';
import { logEvent } from '../helpers/okta-events.ts';

const OWNER = { id: '00u1', name: 'Wanda Flow', login: 'wanda.flow@example.com' };
const withAgent = (rawUserAgent: string | null): RawEvent =>
  logEvent({ client: { userAgent: { rawUserAgent } }, actor: { id: OWNER.id, displayName: OWNER.name, alternateId: OWNER.login } });

describe('workflowsAttribution', () => {
  it.each(['Azuqua', 'azuqua', 'Azuqua/1.0 (okta-workflows)'])('recognises rawUserAgent %s', (agent) => {
    expect(workflowsAttribution(withAgent(agent))).toEqual({ owner: OWNER });
  });

  it.each(['Mozilla/5.0 (Macintosh) Chrome/126.0', 'okta-sdk-java/8.0', null])('ignores %s', (agent) => {
    expect(workflowsAttribution(withAgent(agent))).toBeUndefined();
  });

  it('has an empty owner when the event has no actor', () => {
    expect(workflowsAttribution({ client: { userAgent: { rawUserAgent: 'Azuqua' } } })).toEqual({ owner: {} });
  });
});

describe('looksLikePerson', () => {
  it.each<[Party | undefined, boolean]>([
    [{ login: 'jane.doe@example.com' }, true],
    [{ login: 'jean-luc.picard@example.com' }, true],
    [{ login: 'jane_doe2@example.com' }, true],
    [{ name: 'Jane Doe' }, true],
    [{ name: 'Jane van Doe', login: 'jdoe@example.com' }, true],
    [{ name: 'Zoë Ångström' }, true],
    [{ name: 'Pat Jones', login: 'pat.jones@example.com' }, true],
    [{ name: 'Okta Workflows', login: 'okta.workflows@example.com' }, false],
    [{ login: 'svc-okta-wf@example.com' }, false],
    [{ login: 'svc.okta@example.com', name: 'Svc Okta' }, false],
    [{ login: 'okta.service@example.com' }, false],
    [{ login: 'oktaworkflows@example.com' }, false],
    [{ name: 'Automation User', login: 'automation.user@example.com' }, false],
    [{ name: 'Integration Account' }, false],
    [{ name: 'Slack Bot', login: 'slack.bot@example.com' }, false],
    [{ login: 'api.user@example.com' }, false],
    [{ login: 'oktaApi@example.com' }, false],
    [{ name: 'System Account' }, false],
    [{ login: 'noreply@example.com' }, false],
    [{ login: 'no-reply.okta@example.com' }, false],
    [{ login: 'jdoe@example.com' }, false], // could be anyone: no warning rather than a wrong one
    [{ name: 'admin' }, false],
    [{ id: '00u1' }, false],
    [{}, false],
    [undefined, false],
    [{ name: 'Abbot Capital' }, true], // "bot" and "api" only count as whole words
  ])('%j → %s', (party, expected) => {
    expect(looksLikePerson(party)).toBe(expected);
  });
});
