/**
 * `app_home_opened` (issue 14 §2), a translator only (STYLE practice 1): Slack sends it whenever someone
 * opens the app — its Home tab or its Messages tab (`event.tab`). Only the Home tab gets a view. Bolt
 * acknowledges events itself before listeners run, and has checked the request's signature already.
 */
import type { App } from '@slack/bolt';
import type { HomeSurface } from './home-tab.ts';

export function registerHomeTab(app: App, home: HomeSurface): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home' || typeof event.user !== 'string') return;
    home.opened(event.user, typeof body.event_id === 'string' ? body.event_id : undefined);
  });
}
