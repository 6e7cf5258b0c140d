/**
 * One headless Chromium page that draws a card both ways and photographs it: Slack through block-kit-html.ts,
 * Teams through Microsoft's `adaptivecards` library loaded from node_modules (teams-host.ts). Every request
 * the page would make is refused, so a picture never depends on the network.
 *
 * A drawing fails (its `problems` are not empty) when the renderer refused or dropped something, or when
 * the card came out empty: no text, or less than one line high.
 */
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SlackMessage } from '../../../adapters/slack/render/render-card.ts';
import { BlockKitRenderError, messageHtml, SLACK_CSS } from './block-kit-html.ts';
import { RENDER_IN_PAGE, TEAMS_CSS, TEAMS_HOST_CONFIG, type TeamsRenderResult } from './teams-host.ts';

export interface Drawing {
  /** why the drawing does not count: empty when it is good */
  problems: string[];
  /** the picture of the message (absent when it could not be drawn) */
  png?: Buffer;
}

/** below this a "card" is at most a stray line: something that should have been there is missing */
const MIN_HEIGHT_PX = 40;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; } #stage { display: inline-block; }
${SLACK_CSS}${TEAMS_CSS}</style></head><body><div id="stage"></div></body></html>`;

/**
 * In-page (browser JavaScript, as source: the project's types have no DOM): puts the message on the stage
 * and measures its blocks, without the app's name line above them.
 */
const MEASURE_SLACK = `(html) => {
  const stage = document.getElementById('stage');
  stage.innerHTML = html;
  const content = stage.querySelector('.content');
  const meta = stage.querySelector('.meta');
  return {
    height: content.getBoundingClientRect().height - meta.getBoundingClientRect().height,
    text: content.innerText.replace(meta.innerText, '').trim(),
  };
}`;

function emptiness(height: number, text: string): string[] {
  if (text === '') return ['the card is empty: it shows no text'];
  if (height < MIN_HEIGHT_PX) return [`the card is empty: ${Math.round(height)} px high`];
  return [];
}

export class CardRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  /** launches `executablePath` headless; `scale` is the device pixel ratio of the pictures */
  static async open(executablePath: string, scale = 1): Promise<CardRenderer> {
    const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext({ deviceScaleFactor: scale, viewport: { width: 700, height: 800 } });
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(PAGE);
      const require = createRequire(import.meta.url);
      await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
      return new CardRenderer(browser, page);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  /** the Slack message as the channel shows it */
  async slack(message: SlackMessage): Promise<Drawing> {
    let html: string;
    try {
      html = messageHtml(message);
    } catch (err) {
      if (err instanceof BlockKitRenderError) return { problems: [`Block Kit: ${err.message}`] };
      throw err;
    }
    const measured = (await this.page.evaluate(`(${MEASURE_SLACK})(${JSON.stringify(html)})`)) as { height: number; text: string };
    return this.photographed(emptiness(measured.height, measured.text));
  }

  /** the Adaptive Card as Teams' renderer draws it */
  async teams(card: unknown): Promise<Drawing> {
    const result = (await this.page.evaluate(`(${RENDER_IN_PAGE})(${JSON.stringify({ card, hostConfig: TEAMS_HOST_CONFIG })})`)) as TeamsRenderResult;
    return this.photographed([...result.problems.map((p) => `Adaptive Cards: ${p}`), ...emptiness(result.height, result.text)]);
  }

  private async photographed(problems: string[]): Promise<Drawing> {
    if (problems.length > 0) return { problems };
    await this.page.evaluate('document.fonts.ready.then(() => true)');
    const png = await this.page.locator('#stage > *').screenshot({ type: 'png', animations: 'disabled' });
    return { problems, png };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
