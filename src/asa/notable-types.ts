/**
 * ASA audit types worth a card in SLACK_CHANNEL_ASA (SPEC §5: only notable ASA types are posted, all are
 * stored). Names are `details.type` values; Okta's event type catalog lists them with a `pam.` prefix
 * (fixtures/asa/okta-eventtypes-category-asa.json, release 2026.08.1), and that is how Okta Privileged Access
 * (OPA) writes them to the System Log: `pam.server.ssh_login` is the twin of ASA's `server.ssh_login`, so one
 * list serves both. `auth_token.issue` is left out on purpose: every client sign-in issues one, it would
 * flood the channel.
 */
export const DEFAULT_NOTABLE_ASA_TYPES: readonly string[] = [
  // credentials issued for a server (or revealed)
  'user_creds.issue',
  'gateway_creds.issue',
  'secret.reveal',
  'server_account.password.reveal',
  'service_account.password.reveal',
  // logins to servers
  'server.ssh_login',
  // OPA: exclusive access to a privileged account checked out (Okta catalog: pam.resource.checkout)
  'resource.checkout',
  // admin changes: who may reach what
  'permission.change',
  'member.add',
  'member.remove',
  'group.create',
  'group.delete',
  'project.create',
  'project.delete',
  'project.add_group',
  'project.remove_group',
  'user.create',
  'user.remove',
  'apikey.rotate',
  'apikey.delete',
  'team_settings.update',
  'security_policy.create',
  'security_policy.update',
  'security_policy.delete',
  'entitlement_sudo.create',
  'entitlement_sudo.update',
  'incoming_federation.approve',
  'outgoing_federation.approve',
];

/** the System Log prefix of OPA's audit events */
const PAM = 'pam.';

/** the audit type without OPA's `pam.` prefix: `pam.server.ssh_login` and ASA's `server.ssh_login` → `server.ssh_login` */
export function auditTypeOf(type: string): string {
  return type.startsWith(PAM) ? type.slice(PAM.length) : type;
}

const DEFAULT_NOTABLE = new Set(DEFAULT_NOTABLE_ASA_TYPES);

/** whether an ASA `details.type` or an OPA `pam.*` event type gets a card */
export function isNotableAuditType(type: string, notable: ReadonlySet<string> = DEFAULT_NOTABLE): boolean {
  return notable.has(auditTypeOf(type));
}
