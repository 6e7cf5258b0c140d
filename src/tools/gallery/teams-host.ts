/**
 * What Microsoft's Adaptive Cards JavaScript renderer (`adaptivecards` on npm, the library Teams' web client
 * builds on) needs to draw a card as Teams does: a host config close to Teams' light theme (Segoe UI, its
 * text colours and spacing), a little CSS for what the host config does not cover (the buttons), and the
 * function that runs in the page: parse, collect the renderer's warnings, render, measure.
 *
 * Markdown: Teams formats TextBlocks and facts with a Markdown subset; the library leaves that to its host
 * (`onProcessMarkdown`). Our cards put only backslash-escaped text there (adapters/teams/render/adaptive-text.ts),
 * so the page's processor undoes CommonMark backslash escapes and escapes HTML: what Teams shows for them.
 */

/** Teams' light theme, as far as the host config reaches (colours from Teams' Fluent palette) */
export const TEAMS_HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', 'Open Sans', sans-serif",
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  supportsInteractivity: true,
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
      },
    },
  },
  actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left', showCard: { actionMode: 'inline' } },
  factSet: {
    title: { weight: 'bolder', size: 'default', color: 'default', wrap: true, maxWidth: 150 },
    value: { weight: 'default', size: 'default', color: 'default', wrap: true },
    spacing: 12,
  },
};

/** the message bubble around the card, and Teams' buttons */
export const TEAMS_CSS = `
.teams-message { width: 600px; padding: 16px; background: #f5f5f5; }
.teams-message .bubble { border-radius: 4px; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); }
.teams-message .ac-pushButton { min-height: 32px; padding: 0 12px; border: 1px solid #d1d1d1; border-radius: 4px; background: #fff; color: #242424;
  font: 600 14px 'Segoe UI', -apple-system, Roboto, 'Helvetica Neue', sans-serif; cursor: pointer; overflow: hidden; text-overflow: ellipsis; }
.teams-message .ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #fff; }
.teams-message .ac-pushButton.style-destructive { color: #c4314b; }
.teams-message p { margin: 0; }
`;

/** what one render in the page reports back */
export interface TeamsRenderResult {
  /** the renderer's parse and validation events that mean something was dropped or refused */
  problems: string[];
  /** rendered height in CSS pixels, and the text it shows */
  height: number;
  text: string;
}

/**
 * The in-page function (passed to Playwright's `page.evaluate` as source): renders `card` into
 * `#stage` and reports. Written as plain browser JavaScript in a string: it runs in Chromium, where the
 * library's `window.AdaptiveCards` lives, not in Node.
 */
export const RENDER_IN_PAGE = `(args) => {
  const AC = window.AdaptiveCards;
  const { card: json, hostConfig } = args;
  // events that are only advice; anything else means the card was not drawn as written
  const harmless = new Set([AC.ValidationEvent.Hint, AC.ValidationEvent.Deprecated]);
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const html = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
    result.outputHtml = '<p>' + text.replace(/\\\\([!-\\/:-@\\[-\`{-~])/g, '$1').replace(/[&<>"]/g, (c) => html[c]).replace(/\\n/g, '<br>') + '</p>';
    result.didProcess = true;
  };
  const problems = [];
  const stage = document.getElementById('stage');
  stage.innerHTML = '<div class="teams-message"><div class="bubble"></div></div>';
  try {
    const card = new AC.AdaptiveCard();
    card.hostConfig = new AC.HostConfig(hostConfig);
    const context = new AC.SerializationContext();
    card.parse(json, context);
    for (let i = 0; i < context.eventCount; i++) {
      const e = context.getEventAt(i);
      if (!harmless.has(e.event)) problems.push(AC.ValidationEvent[e.event] + ': ' + e.message);
    }
    for (const e of card.validateProperties().validationEvents) {
      if (!harmless.has(e.event)) problems.push(AC.ValidationEvent[e.event] + ': ' + e.message);
    }
    const el = card.render();
    if (!el) problems.push('the renderer returned no element');
    else stage.querySelector('.bubble').appendChild(el);
  } catch (err) {
    problems.push('the renderer threw: ' + (err && err.message ? err.message : String(err)));
  }
  const bubble = stage.querySelector('.bubble');
  return { problems, height: bubble.getBoundingClientRect().height, text: bubble.innerText.trim() };
}`;
