import type { Logger } from 'pino';
import type { EventRecord } from '../domain/records.ts';
import { looksLikePerson } from '../normalize/workflows.ts';

/**
 * Okta Workflows acts under the account that authorized its Okta connection (SPEC §4). When that account
 * looks like a person, actions stop the day the person leaves and the audit trail names them for what a
 * flow did: warn once per owner, recommend a service account.
 */
export class WorkflowsOwnerCheck {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Logger) {}

  check(records: readonly EventRecord[]): void {
    for (const r of records) {
      const owner = r.wf?.owner;
      if (!owner) continue;
      const key = owner.id ?? owner.login ?? owner.name ?? '?';
      if (this.warned.has(key) || !looksLikePerson(owner)) continue;
      this.warned.add(key);
      this.log.warn(
        { owner: owner.login ?? owner.name, event: r.id },
        'Okta Workflows acts through a connection owned by what looks like a person; authorize the Workflows Okta connection with a service account so actions do not stop when that person leaves',
      );
    }
  }
}
