import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/card.ts';
import { buildManualRemediationCard } from '../../src/cards/manual-remediation-card.ts';
import { manualTaskId } from '../../src/cards/keys.ts';
import { decision, financeGroup, skipped, svcWorkflows } from '../helpers/records.ts';

const factOf = (card: Card, label: string) => card.facts.find((f) => f.label === label)?.value;
const buttons = (card: Card) => card.actions?.map((a) => `${a.id}:${a.label}:${a.value}`);

describe('buildManualRemediationCard', () => {
  it('describes the skipped removal with everything needed to do it by hand', () => {
    const card = buildManualRemediationCard(skipped({ reason: 'Assigned through group' }));
    expect(card).toMatchObject({
      kind: 'manual_remediation',
      family: 'MANUAL',
      severity: 'warning',
      title: 'Manual remediation needed: Alice Example · Salesforce',
      key: 'manual:ITEM1',
      eventIds: ['rem-ITEM1'],
    });
    expect(card.facts).toEqual([
      { label: 'Principal', value: 'Alice Example (alice@example.com)' },
      { label: 'Resource', value: 'Salesforce (APPLICATION)' },
      { label: 'Resource id', value: '0oa1sfdc' },
      { label: 'Campaign', value: 'Q2 access review' },
      { label: 'Reviewer', value: 'Rita Reviewer (rita@example.com)' },
      { label: 'Remediated at', value: '2024-05-02 09:31:00 UTC' },
      { label: 'Outcome', value: 'SKIPPED, remediation DENY, status MANUAL' },
      { label: 'Reason', value: 'Assigned through group' },
      { label: 'Task', value: 'Open' },
    ]);
    expect(card.notes?.[0]).toMatch(/app is assigned through a group/);
    expect(card.notes?.[1]).toBe('Next step: claim this task, remove the access by hand in Okta, then mark it done.');
  });

  it('explains group rules and policies for a group', () => {
    const card = buildManualRemediationCard(skipped({ resource: financeGroup }));
    expect(card.notes?.[0]).toMatch(/group rule.*policy/);
  });

  it('falls back to the general list of causes for other resource types', () => {
    const card = buildManualRemediationCard(skipped({ resource: { name: 'Thing', type: 'ENTITLEMENT' } }));
    expect(card.notes?.[0]).toMatch(/group rule, an app assigned through a group, or a policy-assigned group or entitlement/);
  });

  it('takes decision notes and reviewer from the decision when the remediation lacks them', () => {
    const card = buildManualRemediationCard(skipped({ reviewer: undefined }), { decision: decision() });
    expect(card.notes?.[0]).toBe('Decision notes: Left the sales team in April.');
    expect(factOf(card, 'Reviewer')).toBe('Rita Reviewer (rita@example.com)');
    expect(card.eventIds).toEqual(['dec-ITEM1', 'rem-ITEM1']);
  });

  it('uses the campaign item as task id, or the event when there is no item', () => {
    expect(manualTaskId(skipped())).toBe('item:ITEM1');
    const lone = skipped({ item: undefined, id: 'uuid-9' });
    expect(manualTaskId(lone)).toBe('event:uuid-9');
    expect(buildManualRemediationCard(lone)).toMatchObject({ key: 'manual:uuid-9' });
    expect(buildManualRemediationCard(lone).actions?.every((a) => a.value === 'event:uuid-9')).toBe(true);
  });

  it('offers claim, done and verify on an open task', () => {
    expect(buttons(buildManualRemediationCard(skipped()))).toEqual([
      'oig_manual_claim:Claim:item:ITEM1',
      'oig_manual_done:Mark done:item:ITEM1',
      'oig_manual_verify:Verify in Okta:item:ITEM1',
    ]);
  });

  it('offers done, verify and reopen once claimed, and names the owner', () => {
    const card = buildManualRemediationCard(skipped(), {
      task: { state: 'claimed', owner: 'bob@example.com', at: '2024-05-02T10:00:00Z' },
    });
    expect(buttons(card)).toEqual([
      'oig_manual_done:Mark done:item:ITEM1',
      'oig_manual_verify:Verify in Okta:item:ITEM1',
      'oig_manual_reopen:Reopen:item:ITEM1',
    ]);
    expect(factOf(card, 'Task')).toBe('Claimed by bob@example.com at 2024-05-02 10:00:00 UTC');
    expect(card.notes?.at(-1)).toBe('Next step: bob@example.com removes the access by hand in Okta, then marks it done.');
  });

  it('offers verify and reopen once done, and turns green', () => {
    const card = buildManualRemediationCard(skipped(), { task: { state: 'done', owner: 'bob@example.com' } });
    expect(buttons(card)).toEqual(['oig_manual_verify:Verify in Okta:item:ITEM1', 'oig_manual_reopen:Reopen:item:ITEM1']);
    expect(card.severity).toBe('success');
    expect(card.title).toBe('Manually remediated: Alice Example · Salesforce');
    expect(factOf(card, 'Task')).toBe('Done by bob@example.com');
    expect(card.notes?.some((n) => n.startsWith('Next step'))).toBe(false);
  });

  it('is danger when Okta failed rather than skipped', () => {
    expect(buildManualRemediationCard(skipped({ outcome: 'FAILURE', status: 'ERROR' })).severity).toBe('danger');
  });

  it('names Okta Workflows when it did the remediation', () => {
    const card = buildManualRemediationCard(skipped({ wf: { owner: svcWorkflows } }));
    expect(factOf(card, 'Automation')).toMatch(/^via Okta Workflows \(connection owner: Workflows Service/);
  });

  it('shows the cause found in Okta instead of the usual causes, with the next step that follows from it', () => {
    const cause = { at: '2026-11-01T10:00:00.000Z', why: 'the group rule "Finance by department" puts Alice in Finance (https://acme-admin.okta.com/admin/groups#rules).', next: 'Edit the group rule "Finance by department", then Verify again.' };
    const open = buildManualRemediationCard(skipped({ resource: financeGroup }), { cause });
    expect(open.notes).toEqual([
      'Why Okta skipped it (checked in Okta 2026-11-01 10:00:00 UTC): the group rule "Finance by department" puts Alice in Finance (https://acme-admin.okta.com/admin/groups#rules).',
      'Next step: Edit the group rule "Finance by department", then Verify again.',
    ]);
    const claimed = buildManualRemediationCard(skipped(), { cause, task: { state: 'claimed', owner: 'Bob' } });
    expect(claimed.notes?.[1]).toBe('Next step (Bob): Edit the group rule "Finance by department", then Verify again.');
    expect(open.links).toBeUndefined();
    const link = { label: 'Group rules in the Okta Admin Console', url: 'https://acme-admin.okta.com/admin/groups#rules' };
    expect(buildManualRemediationCard(skipped(), { cause: { ...cause, links: [link] } }).links).toEqual([link]);
    const done = buildManualRemediationCard(skipped(), { cause, task: { state: 'done', owner: 'Bob' } });
    expect(done.notes).toHaveLength(1);
  });

  it('says when Okta no longer shows the access', () => {
    const card = buildManualRemediationCard(skipped(), { cause: { at: '2026-11-01T10:00:00.000Z', gone: true } });
    expect(card.notes).toEqual(['Okta no longer shows this access (checked in Okta 2026-11-01 10:00:00 UTC).', 'Next step: if someone removed it by hand, mark the task done.']);
  });

  it('says when the user was deleted from Okta, with all of its access', () => {
    const card = buildManualRemediationCard(skipped(), { cause: { at: '2026-11-01T10:00:00.000Z', gone: true, userDeleted: true } });
    expect(card.notes).toEqual(['Okta no longer has this user: deleted, with all of its access (checked in Okta 2026-11-01 10:00:00 UTC).', 'Next step: mark the task done.']);
  });

  it('keeps a long cause within Slack\'s section limit', () => {
    const card = buildManualRemediationCard(skipped(), { cause: { at: '2026-11-01T10:00:00.000Z', why: 'x'.repeat(10_000), next: 'y'.repeat(10_000) } });
    expect(card.notes!.every((n) => n.length <= 2000)).toBe(true);
  });
});
