/**
 * Bot Framework authentication with TEAMS_APP_ID set, through botbuilder's real token validation against a
 * local OpenID server with its own signing key (test/helpers/fake-bot-framework-auth.ts): a token Bot
 * Framework would issue for this bot is accepted; a forged, expired, other-bot or other-serviceUrl token
 * is 401 and nothing happens. Invokes are used because they answer without calling out (with an app id,
 * calling the connector needs a token from Microsoft's login service).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBotFrameworkAuth, FAKE_ISSUER } from '../helpers/fake-bot-framework-auth.ts';
import { FakeTeams } from '../helpers/fake-teams.ts';
import { ALICE, TEAM_ID, TENANT_ID, adaptiveCardAction, botAddedToTeam, postActivity } from '../helpers/teams-activities.ts';
import { startTeamsBot, type TeamsBot } from './teams-bot.ts';

const APP_ID = '3f6c9b2e-1d4a-4c8e-9f7b-2a5d8e1c4b7f';

let auth: FakeBotFrameworkAuth;
let teams: FakeTeams;
let running: TeamsBot | undefined;

beforeEach(async () => {
  auth = await FakeBotFrameworkAuth.start();
  teams = await FakeTeams.start();
  running = await startTeamsBot({
    env: { TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'not-used-by-these-tests', TEAMS_TENANT_ID: TENANT_ID, TEAMS_DEV_NO_AUTH: '' },
    tuning: { tokenValidation: { openIdMetadataUrl: auth.metadataUrl, issuer: FAKE_ISSUER } },
  });
});
afterEach(async () => {
  await running?.stop(true);
  running = undefined;
  await teams.close();
  await auth.close();
});

const helpPress = () => adaptiveCardAction({ serviceUrl: teams.url, conversationId: TEAM_ID, from: ALICE, verb: 'oig_more', data: { command: 'help', page: 0 } });

describe('Teams with Bot Framework authentication', () => {
  it('accepts a token Bot Framework issued for this bot and this serviceUrl', async () => {
    const res = await postActivity(running!.url, helpPress(), { authorization: auth.token({ aud: APP_ID, serviceurl: teams.url }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(res.body)).toContain('oig commands');
  });

  it.each([
    ['signed with a key Bot Framework never published', () => auth.token({ aud: APP_ID, serviceurl: teams.url }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
    ['for another bot', () => auth.token({ aud: '00000000-1111-2222-3333-444444444444', serviceurl: teams.url })],
    ['for another serviceUrl', () => auth.token({ aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/evil/' })],
    ['expired', () => auth.token({ aud: APP_ID, serviceurl: teams.url, expiresIn: -3600 })],
    ['from another issuer', () => auth.token({ aud: APP_ID, serviceurl: teams.url, iss: 'https://login.example.com' })],
  ])('refuses a token %s with 401', async (_, token) => {
    const res = await postActivity(running!.url, helpPress(), { authorization: token() });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('oig commands');
    expect(teams.requests).toHaveLength(0);
  });

  it('forged posts never mark an activity seen: 200 with one id are all 401, and the genuine one acts, during them and after', async () => {
    const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    // mostly what an attacker can really get: a Bot Framework token for their own bot; some signed with a
    // key nobody published (botbuilder prints a line to stderr for each of those)
    let n = 0;
    const forged = () =>
      n++ % 10 === 0 ? auth.token({ aud: APP_ID, serviceurl: teams.url }, unpublished) : auth.token({ aud: '00000000-1111-2222-3333-444444444444', serviceurl: teams.url });
    const genuine = () => auth.token({ aud: APP_ID, serviceurl: teams.url });
    const acted = (r: { status: number; body: unknown }) => r.status === 200 && JSON.stringify(r.body).includes('oig commands');

    // the genuine activity sent in the middle of 200 forged ones with its id
    const during = helpPress();
    const posts = Array.from({ length: 200 }, () => postActivity(running!.url, during, { authorization: forged() }));
    const real = postActivity(running!.url, during, { authorization: genuine() });
    posts.push(...Array.from({ length: 20 }, () => postActivity(running!.url, during, { authorization: forged() })));
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 401)).toEqual([]);
    expect(acted(await real)).toBe(true);
    // a genuine retry of it, now that it acted, does not act again
    const retry = await postActivity(running!.url, during, { authorization: genuine() });
    expect(retry.status).toBe(200);
    expect(retry.body).toBeUndefined();

    // the genuine activity sent after 200 forged ones with its id
    const after = helpPress();
    const forgedFirst = await Promise.all(Array.from({ length: 200 }, () => postActivity(running!.url, after, { authorization: forged() })));
    expect(forgedFirst.every((r) => r.status === 401)).toBe(true);
    expect(acted(await postActivity(running!.url, after, { authorization: genuine() }))).toBe(true);
  }, 60_000);

  it('refuses an authenticated activity from another tenant than TEAMS_TENANT_ID with 403; nothing changes', async () => {
    const other = { ...helpPress(), conversation: { id: TEAM_ID, conversationType: 'channel', tenantId: 'ffffffff-0000-4000-8000-000000000000' }, channelData: { tenant: { id: 'ffffffff-0000-4000-8000-000000000000' } } };
    const res = await postActivity(running!.url, other, { authorization: auth.token({ aud: APP_ID, serviceurl: teams.url }) });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('WRONG_TENANT');
    const subscribe = { ...botAddedToTeam({ serviceUrl: teams.url, tenantId: 'ffffffff-0000-4000-8000-000000000000' }) };
    expect((await postActivity(running!.url, subscribe, { authorization: auth.token({ aud: APP_ID, serviceurl: teams.url }) })).status).toBe(403);
    expect(running!.teams.status().subscriptions).toBe(0);
  });
});
