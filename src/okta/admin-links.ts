/**
 * Links into the Okta Admin Console for the objects a cause names, so an admin lands where the change is
 * made. The console lives on the org's admin host: the first label of the org host with `-admin` appended
 * (https://acme.okta.com → https://acme-admin.okta.com; acme.oktapreview.com → acme-admin.oktapreview.com).
 * A host that is an address or a single label (a local test server) is kept as it is.
 *
 * Console paths: a user's profile `/admin/user/profile/view/{id}`, a group `/admin/group/{id}`, the group
 * rules (Directory › Groups › Rules) `/admin/groups#rules`, an app instance's assignments
 * `/admin/app/{appName}/instance/{appId}/#tab-assignments` (the app's `name`, e.g. `salesforce`, is part of
 * the path), and the list of apps `/admin/apps/active` when the name is not known.
 */

export interface AppRef {
  id: string;
  /** the app's `name` (its integration key, e.g. "salesforce"), needed for the console path */
  name?: string;
  /** what admins call it (`label`) */
  label?: string;
}

export interface AdminLinks {
  user(id: string): string;
  group(id: string): string;
  groupRules(): string;
  appAssignments(app: AppRef): string;
}

export function adminOrigin(orgUrl: string): string {
  const u = new URL(orgUrl);
  const host = u.hostname;
  const isAddress = /^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.');
  if (isAddress) return u.origin;
  const [first, ...rest] = host.split('.');
  const admin = first!.endsWith('-admin') ? first! : `${first}-admin`;
  return `${u.protocol}//${[admin, ...rest].join('.')}${u.port ? `:${u.port}` : ''}`;
}

export function adminLinks(orgUrl: string): AdminLinks {
  const o = adminOrigin(orgUrl);
  const seg = (s: string) => encodeURIComponent(s);
  return {
    user: (id) => `${o}/admin/user/profile/view/${seg(id)}`,
    group: (id) => `${o}/admin/group/${seg(id)}`,
    groupRules: () => `${o}/admin/groups#rules`,
    appAssignments: (app) => (app.name ? `${o}/admin/app/${seg(app.name)}/instance/${seg(app.id)}/#tab-assignments` : `${o}/admin/apps/active`),
  };
}
