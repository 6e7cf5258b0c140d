import { describe, expect, it } from 'vitest';
import { isAllowed, needsEmail } from '../../src/followup/permissions.ts';
import type { Actor, ManualTask } from '../../src/followup/task.ts';
import { transition } from '../../src/followup/task-rules.ts';
import { alice, q2, salesforce } from '../helpers/records.ts';

const ann: Actor = { id: 'U0ANN', name: 'Ann', via: 'slack' };
const ben: Actor = { id: 'U0BEN', name: 'Ben', via: 'slack' };
const AT = '2026-11-21T10:00:00.000Z';
const base: ManualTask = { id: 'item:1', state: 'open', openedBy: 'e1', openedAt: AT, updatedAt: AT, principal: alice, resource: salesforce, campaign: q2 };
const claimed: ManualTask = { ...base, state: 'claimed', owner: ann, ownedAt: AT };
const done: ManualTask = { ...base, state: 'done', owner: ann, ownedAt: AT };

describe('task transitions', () => {
  it.each([
    ['open', base, 'claim', ann, 'ok', 'claimed'],
    ['claimed by me', claimed, 'claim', ann, 'invalid_state', undefined],
    ['claimed by another', claimed, 'claim', ben, 'invalid_state', undefined],
    ['done', done, 'claim', ann, 'invalid_state', undefined],
    ['open', base, 'done', ann, 'ok', 'done'],
    ['claimed', claimed, 'done', ben, 'ok', 'done'],
    ['done', done, 'done', ann, 'invalid_state', undefined],
    ['open', base, 'reopen', ann, 'invalid_state', undefined],
    ['claimed', claimed, 'reopen', ben, 'ok', 'open'],
    ['done', done, 'reopen', ann, 'ok', 'open'],
  ] as const)('%s + %s', (_l, task, action, actor, result, state) => {
    const t = transition(task, action, actor, '2026-11-21T11:00:00.000Z');
    expect(t.result).toBe(result);
    expect(t.next?.state).toBe(state);
    if (state === 'open') expect(t.next?.owner).toBeUndefined();
    if (state === 'claimed' || state === 'done') expect(t.next).toMatchObject({ owner: actor, ownedAt: '2026-11-21T11:00:00.000Z' });
  });

  it('names the colleague who holds a claim', () => {
    expect(transition(claimed, 'claim', ben, AT).message).toContain('Ann has already claimed');
  });
});

describe('permissions: deny by default', () => {
  it('allows by Slack id or email, case-insensitively; nobody when the list is empty', () => {
    expect(isAllowed(['u0ann'], ann)).toBe(true);
    expect(isAllowed(['ben@example.com'], { ...ben, email: 'Ben@Example.com' })).toBe(true);
    expect(isAllowed(['ben@example.com'], ben)).toBe(false);
    expect(isAllowed([], ann)).toBe(false);
  });

  it('looks up emails only when the list has one', () => {
    expect(needsEmail(['u0ann'])).toBe(false);
    expect(needsEmail(['u0ann', 'x@example.com'])).toBe(true);
  });
});
