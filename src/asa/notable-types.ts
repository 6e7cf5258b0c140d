/**
 * ASA audit types worth a card in SLACK_CHANNEL_ASA (SPEC §5: only notable ASA types are posted, all are
 * stored). Names are `details.type` values; Okta's event type catalog lists them with a `pam.` prefix
 * (fixtures/asa/okta-eventtypes-category-asa.json, release 2026.08.1). `auth_token.issue` is left out on
 * purpose: every client sign-in issues one, it would flood the channel.
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
