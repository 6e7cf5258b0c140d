/**
 * Builders for raw Okta LogEvents and event-hook envelopes, for tests anywhere in the project.
 *
 *   const d = decideEvent({ decision: 'REVOKE' });
 *   remediateEvent({ item: 'icii1', outcome: 'SKIPPED' })     // status MANUAL unless given
 *   envelope([d, campaignEvent('close')])
 *
 * Every builder returns a fresh event (new `uuid`, `published` = now) shaped like Okta's own
 * user.lifecycle.deactivate sample. The OIG debugData keys are those of SPEC §4; no raw OIG sample is public,
 * so targets and messages are our best reading of Okta's event type catalog.
 * Common options: `uuid`, `published`, `actor`, `outcome`, `reason`, `workflows` (rawUserAgent "Azuqua"),
 * `debugData` merged over the built one (a key set to `undefined` is removed), `target` replacing the targets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DecisionValue, RemediationStatus, RemediationValue } from '../../src/domain/records.ts';
import type { EventHookEnvelope, LogEvent, LogParty } from '../../src/okta/log-event.ts';

export interface PartyInput {
  id?: string;
  name?: string;
  login?: string;
  /** Okta actor/target type; User unless given */
  type?: string;
}
export interface ResourceInput {
  id?: string;
  name?: string;
  /** APPLICATION (an AppInstance target) or GROUP (a Group target) */
  type?: string;
}
export interface CampaignInput {
  id?: string;
  name?: string;
}

export interface CommonOptions {
  uuid?: string;
  published?: string | Date;
  actor?: PartyInput;
  outcome?: string;
  reason?: string;
  displayMessage?: string;
  /** rawUserAgent "Azuqua": the event was caused by Okta Workflows */
  workflows?: boolean;
  rawUserAgent?: string;
  debugData?: Record<string, unknown>;
  target?: LogParty[];
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-character id in Okta's style: `00u…` users, `0oa…` apps, `00g…` groups. */
export function oktaId(prefix: string): string {
  return prefix + [...randomBytes(20 - prefix.length)].map((b) => BASE62[b % 62]).join('');
}

export const REVIEWER = { id: '00u1rvw2RitaRevw0d7', name: 'Rita Reviewer', login: 'rita.reviewer@example.com' };
export const PRINCIPAL = { id: '00u1jnd2JaneDoe00d7', name: 'Jane Doe', login: 'jane.doe@example.com' };
export const ADMIN = { id: '00u1adm2AdaAdmin0d7', name: 'Ada Admin', login: 'ada.admin@example.com' };
/** The actor Okta logs for what it does by itself (campaign end, expiry). */
export const OKTA_SYSTEM = {
  id: '0oa1okta2System00d7',
  name: 'Okta System',
  login: 'system@okta.com',
  type: 'SystemPrincipal',
};
export const APP = { id: '0oa1sfdc2Salesforce', name: 'Salesforce', type: 'APPLICATION' };
export const GROUP = { id: '00g1fin2FinanceAdm', name: 'Finance Admins', type: 'GROUP' };
export const CAMPAIGN = { id: 'icirevw2Q3AccessRev', name: 'Q3 Access Review' };

/** A LogActor / LogTarget; Okta writes alternateId "unknown" when it has none. */
export function party(p: PartyInput, defaultType = 'User'): LogParty {
  return {
    id: p.id ?? null,
    type: p.type ?? defaultType,
    alternateId: p.login ?? 'unknown',
    displayName: p.name ?? null,
    detailEntry: null,
  };
}

export function resourceTarget(r: ResourceInput): LogParty {
  return party({ id: r.id, name: r.name, login: r.name }, r.type === 'GROUP' ? 'Group' : 'AppInstance');
}

/** A realistic LogEvent (Okta's user.lifecycle.deactivate sample, fresh uuid and time) with `overrides` on top. */
export function logEvent(overrides: Partial<LogEvent> = {}): LogEvent {
  const requestId = randomBytes(18).toString('base64url');
  const debugData = { requestId, requestUri: '/api/v1/users', threatSuspected: 'false', url: '/api/v1/users?' };
  return {
    actor: party(ADMIN),
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh) Chrome/126.0', os: 'Mac OS X', browser: 'CHROME' },
      zone: 'null',
      device: 'Computer',
      id: null,
      ipAddress: '198.51.100.7',
    },
    authenticationContext: { authenticationStep: 0, externalSessionId: randomBytes(12).toString('base64url') },
    displayMessage: 'Deactivate Okta User',
    eventType: 'user.lifecycle.deactivate',
    outcome: { result: 'SUCCESS', reason: null },
    published: new Date().toISOString(),
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: 'INFO',
    debugContext: { debugData },
    legacyEventType: null,
    transaction: { type: 'WEB', id: requestId, detail: {} },
    uuid: randomUUID(),
    version: '0',
    request: { ipChain: [{ ip: '198.51.100.7', geographicalContext: null, version: 'V4', source: null }] },
    target: [party(PRINCIPAL)],
    ...overrides,
  };
}

interface Defaults {
  actor: PartyInput;
  outcome?: string;
  displayMessage: string;
  /** the family's own debugData */
  data: Record<string, unknown>;
  target: LogParty[];
}

/** The event for `eventType`: the family's defaults, then the common options on top. */
export function build(eventType: string, o: CommonOptions, d: Defaults): LogEvent {
  const event = logEvent({
    eventType,
    displayMessage: o.displayMessage ?? d.displayMessage,
    actor: party(o.actor ?? d.actor),
    outcome: { result: o.outcome ?? d.outcome ?? 'SUCCESS', reason: o.reason ?? null },
    target: o.target ?? d.target,
  });
  const requestId = event.transaction?.id ?? '';
  const data = { requestId, requestUri: '/governance/api/v1', url: '/governance/api/v1?', ...d.data, ...o.debugData };
  event.debugContext = { debugData: Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) };
  if (o.uuid !== undefined) event.uuid = o.uuid;
  if (o.published !== undefined) {
    event.published = o.published instanceof Date ? o.published.toISOString() : o.published;
  }
  const agent = o.workflows === true ? 'Azuqua' : o.rawUserAgent;
  if (agent !== undefined && event.client?.userAgent) event.client.userAgent.rawUserAgent = agent;
  return event;
}

/** An event-hook delivery (SPEC §3) batching `events`. */
export function envelope(events: LogEvent[], o: { eventId?: string; eventTime?: string } = {}): EventHookEnvelope {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who1oig2chatops00d7',
    eventId: o.eventId ?? randomUUID(),
    eventTime: o.eventTime ?? new Date().toISOString(),
    contentType: 'application/json',
    data: { events },
  };
}

/** A JSON file of test/fixtures/okta, parsed; `unknown` on purpose, as the normalizers receive it. */
export function readOktaFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/okta/${name}`, import.meta.url), 'utf8')) as unknown;
}

// ---- certification ---------------------------------------------------------------------------------------

export interface ItemOptions extends CommonOptions {
  /** campaignItemId: give the same one to a decision and its remediation */
  item?: string;
  principal?: PartyInput;
  resource?: ResourceInput;
  campaign?: CampaignInput;
  /** the reviewer; also the actor of a decision unless `actor` is given */
  reviewer?: PartyInput;
  resourceStatus?: string;
  /** Okta spells the campaign-name key two ways (SPEC §4) */
  nameKey?: 'campaignItemTemplateName' | 'campaignTemplateName';
}

const templateIdOf = (c: CampaignInput): string => `itp${(c.id ?? '').slice(3)}`;

function itemData(o: ItemOptions, item: string): Record<string, unknown> {
  const principal = o.principal ?? PRINCIPAL;
  const resource = o.resource ?? APP;
  const campaign = o.campaign ?? CAMPAIGN;
  const reviewer = o.reviewer ?? REVIEWER;
  const nameKey = o.nameKey ?? 'campaignItemTemplateName';
  return {
    campaignId: campaign.id,
    campaignItemId: item,
    campaignItemPrincipalId: principal.id,
    campaignItemPrincipalName: principal.name,
    campaignItemResourceId: resource.id,
    campaignItemResourceName: resource.name,
    campaignItemResourceType: resource.type,
    campaignItemResourceStatus: o.resourceStatus,
    campaignItemReviewerId: reviewer.id,
    campaignItemReviewerName: reviewer.name,
    [nameKey.replace('Name', 'Id')]: templateIdOf(campaign),
    [nameKey]: campaign.name,
    targetEventHookIds: 'who1oig2chatops00d7',
  };
}

function itemTargets(o: ItemOptions): LogParty[] {
  return [party(o.principal ?? PRINCIPAL), resourceTarget(o.resource ?? APP)];
}

export interface DecideOptions extends ItemOptions {
  /** APPROVE, REVOKE (default), UNREVIEWED, DELEGATE, NORESPONSE */
  decision?: DecisionValue;
  notes?: string;
}

/**
 * certification.campaign.item.decide. Outcome SKIPPED for DELEGATE (Okta catalog); NORESPONSE is logged by
 * Okta itself when the campaign closes.
 */
export function decideEvent(o: DecideOptions = {}): LogEvent {
  const decision = o.decision ?? 'REVOKE';
  return build('certification.campaign.item.decide', o, {
    actor: decision === 'NORESPONSE' ? OKTA_SYSTEM : (o.reviewer ?? REVIEWER),
    outcome: decision === 'DELEGATE' ? 'SKIPPED' : 'SUCCESS',
    displayMessage: 'Campaign item decision',
    data: {
      ...itemData(o, o.item ?? oktaId('icii')),
      campaignItemDecision: decision,
      campaignItemDecisionNotes: o.notes,
    },
    target: itemTargets(o),
  });
}

export interface RemediateOptions extends ItemOptions {
  /** SUCCESS (default), SKIPPED (Okta could not remove the access), FAILURE */
  outcome?: 'SUCCESS' | 'SKIPPED' | 'FAILURE' | (string & {});
  /** DENY (default) or NO_ACTION */
  remediation?: RemediationValue;
  /** SUCCESS, MANUAL or ERROR following the outcome unless given */
  status?: RemediationStatus;
  decision?: DecisionValue;
}

const STATUS_FOR_OUTCOME: Readonly<Record<string, string>> = {
  SUCCESS: 'SUCCESS',
  SKIPPED: 'MANUAL',
  FAILURE: 'ERROR',
};

/** certification.campaign.item.remediate */
export function remediateEvent(o: RemediateOptions = {}): LogEvent {
  const outcome = o.outcome ?? 'SUCCESS';
  return build('certification.campaign.item.remediate', o, {
    actor: o.reviewer ?? REVIEWER,
    outcome,
    displayMessage: 'Campaign item remediation',
    data: {
      ...itemData(o, o.item ?? oktaId('icii')),
      campaignItemDecision: o.decision ?? 'REVOKE',
      campaignItemRemediation: o.remediation ?? 'DENY',
      campaignItemRemediationStatus: o.status ?? STATUS_FOR_OUTCOME[outcome] ?? 'NONE',
    },
    target: itemTargets(o),
  });
}

export interface CampaignOptions extends CommonOptions {
  campaign?: CampaignInput;
}

/** certification.campaign.launch / close / update */
export function campaignEvent(action: 'launch' | 'close' | 'update', o: CampaignOptions = {}): LogEvent {
  const campaign = o.campaign ?? CAMPAIGN;
  return build(`certification.campaign.${action}`, o, {
    actor: action === 'update' ? ADMIN : OKTA_SYSTEM,
    displayMessage: `Campaign ${action}`,
    data: { campaignId: campaign.id, campaignTemplateId: templateIdOf(campaign), campaignTemplateName: campaign.name },
    target: [],
  });
}

// ---- access requests and reviews ------------------------------------------------------------------------

export interface AccessRequestOptions extends CommonOptions {
  request?: string;
  subject?: string;
  requester?: PartyInput;
  requestedFor?: PartyInput;
  resource?: ResourceInput;
  scope?: ResourceInput;
  /** who acted on it (resolve, reject …); the requester for create/cancel, Okta for expire */
  approver?: PartyInput;
}

/** access.request.<action>: create, resolve, reject, cancel, expire, update, condition.create … */
export function accessRequestEvent(action: string, o: AccessRequestOptions = {}): LogEvent {
  const requester = o.requester ?? PRINCIPAL;
  const requestedFor = o.requestedFor ?? requester;
  const resource = o.resource ?? APP;
  const scope = o.scope ?? resource;
  // condition.*, sequence.* and settings.* are about configuration, not about one request
  const config = /^(condition|sequence|settings)\./.test(action);
  const subject = `${requestedFor.name ?? 'Someone'} requests access to ${resource.name ?? 'a resource'}`;
  const data = config
    ? {}
    : {
        accessRequestId: o.request ?? oktaId('req'),
        accessRequestSubject: o.subject ?? subject,
        requesterId: requester.id,
        requestedForId: requestedFor.id,
        requestedResourceId: resource.id,
        requestedResourceType: resource.type,
        accessScopeId: scope.id,
        accessScopeType: scope.type,
      };
  let actor: PartyInput = o.approver ?? REVIEWER;
  if (config) actor = ADMIN;
  else if (action === 'expire') actor = OKTA_SYSTEM;
  else if (action === 'create' || action === 'cancel') actor = requester;
  const users = requestedFor.id === requester.id ? [party(requester)] : [party(requester), party(requestedFor)];
  return build(`access.request.${action}`, o, {
    actor,
    displayMessage: `Access request ${action}`,
    data,
    target: config ? [resourceTarget(resource)] : [...users, resourceTarget(resource)],
  });
}

export interface AccessReviewOptions extends CommonOptions {
  review?: CampaignInput;
  principal?: PartyInput;
  resource?: ResourceInput;
  /** the reviewer's action (access.review.action) or the remediation result (access.review.remediate) */
  decision?: string;
}

/** access.review.<action>: create, start, update, action, remediate, close */
export function accessReviewEvent(action: string, o: AccessReviewOptions = {}): LogEvent {
  const review = o.review ?? { id: 'sar1sec2Review000d7', name: 'Security review for Jane Doe' };
  const principal = o.principal ?? PRINCIPAL;
  const resource = o.resource ?? APP;
  const defaultDecision = action === 'action' ? 'REVOKE' : action === 'remediate' ? 'SUCCESS' : undefined;
  return build(`access.review.${action}`, o, {
    actor: action === 'action' ? REVIEWER : ADMIN,
    displayMessage: `Security access review ${action}`,
    data: {
      securityAccessReviewId: review.id,
      securityAccessReviewName: review.name,
      principalId: principal.id,
      resourceId: resource.id,
      resourceName: resource.name,
      resourceType: resource.type,
      [action === 'remediate' ? 'remediationStatus' : 'decision']: o.decision ?? defaultDecision,
    },
    target: [party(principal), resourceTarget(resource)],
  });
}

// ---- system ---------------------------------------------------------------------------------------------

export interface SystemOptions extends CommonOptions {
  /** phone verification: the number, in debugData.phoneNumber (Identity Engine) or a MobilePhone target (`classic`) */
  phoneNumber?: string;
  classic?: boolean;
  tokenName?: string;
}

type SystemDefaults = Pick<Defaults, 'data' | 'target' | 'displayMessage'>;

function systemDefaults(type: string, o: SystemOptions): SystemDefaults {
  if (type.startsWith('system.org.rate_limit.')) {
    // as Okta's system.org.rate_limit.warning sample (Panther test data, fixtures/okta/SOURCES.md)
    return {
      displayMessage: 'Rate limit warning',
      data: {
        rateLimitScopeType: 'ORG',
        rateLimitSecondsToReset: '11',
        threshold: '500',
        timeSpan: '1',
        timeUnit: 'MINUTES',
        warningPercent: '80',
      },
      target: [party({ id: '/api/v1/users' }, 'URL Pattern'), party({ id: oktaId('bkt') }, 'Bucket Uuid')],
    };
  }
  if (type.startsWith('system.api_token.')) {
    const token = party({ id: oktaId('00T'), name: o.tokenName ?? 'ci-token' }, 'Token');
    return { displayMessage: 'API token event', data: {}, target: [token] };
  }
  if (type.includes('phone_verification')) {
    const phone = o.phoneNumber ?? '+15555550123';
    if (o.classic === true) {
      const mobile = party({ id: oktaId('mbl'), login: phone }, 'MobilePhone');
      return { displayMessage: 'Send phone verification', data: {}, target: [mobile] };
    }
    const data = { phoneNumber: phone, countryCallingCode: '1', smsProvider: 'TWILIO' };
    return { displayMessage: 'Send phone verification', data, target: [party(PRINCIPAL)] };
  }
  if (type.startsWith('security.authenticator.')) {
    const authenticator = party({ id: oktaId('aut'), name: 'Okta Verify' }, 'Authenticator');
    return { displayMessage: 'Authenticator lifecycle', data: {}, target: [authenticator] };
  }
  const app = resourceTarget({ id: '0oa1wdy2Workday00d7', name: 'Workday' });
  return { displayMessage: 'Import event', data: {}, target: [app] };
}

/** One of the 13 system alert types (any other type gets an import-like event). */
export function systemEvent(type: string, o: SystemOptions = {}): LogEvent {
  let actor: PartyInput = OKTA_SYSTEM;
  if (type.includes('phone_verification')) actor = PRINCIPAL;
  else if (type.startsWith('system.api_token.') || type.startsWith('security.')) actor = ADMIN;
  return build(type, o, { actor, ...systemDefaults(type, o) });
}

// ---- Okta Privileged Access (System Log pam.*) -----------------------------------------------------------

export interface PamOptions extends CommonOptions {
  /** debugData.serverHostnames (comma-separated in Okta's sample); none when empty */
  servers?: string[];
  project?: string;
  team?: string;
  /** targets of type "Group" (an OPA group pushed from Okta carries the Okta group's name) */
  groups?: string[];
  /** more targets after the Project, Team and groups */
  extraTargets?: LogParty[];
}

/**
 * An OPA audit event as the System Log holds it, shaped like Okta's published `pam.user_creds.issue` sample
 * (test/fixtures/okta/pam.user_creds.issue.workload.json): the actor is the Okta principal (PRINCIPAL, a
 * `User`, unless given), debugData names the team and servers, targets the Project and Team.
 */
export function pamEvent(type: string, o: PamOptions = {}): LogEvent {
  const servers = o.servers ?? ['web-01'];
  const team = o.team ?? 'acme';
  const targets: LogParty[] = [
    party({ id: randomUUID(), name: o.project ?? 'prod', login: 'project' }, 'Project'),
    party({ id: randomUUID(), name: team, login: 'team' }, 'Team'),
    ...(o.groups ?? []).map((g) => party({ id: randomUUID(), name: g, login: g }, 'Group')),
    ...(o.extraTargets ?? []),
  ];
  const event = build(type.startsWith('pam.') ? type : `pam.${type}`, o, {
    actor: PRINCIPAL,
    displayMessage: `(PAM) ${type}`,
    data: {
      teamName: team,
      traceId: `1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`,
      clientIp: '198.51.100.7',
      client: 'ASA_CLIENT',
      ...(servers.length > 0 ? { servers: servers.map(() => randomUUID()).join(','), serverHostnames: servers.join(',') } : {}),
    },
    target: o.target ?? targets,
  });
  // not governance: no requestUri / url of the governance API
  const data = event.debugContext?.debugData as Record<string, unknown> | undefined;
  if (data && o.debugData?.requestUri === undefined) {
    delete data.requestUri;
    delete data.url;
    delete data.requestId;
  }
  if (o.workflows === undefined && o.rawUserAgent === undefined) {
    event.client = { ...event.client, userAgent: { rawUserAgent: 'ScaleFT/1.108.0 (sft; darwin)', os: null, browser: null } };
  }
  return event;
}
