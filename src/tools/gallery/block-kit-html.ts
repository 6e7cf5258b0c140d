/**
 * Block Kit → HTML, close to how Slack's desktop client draws a message: the app's name line, then header,
 * section (text and two-column fields), context, actions (buttons, primary green and danger red) and divider
 * blocks, with mrkdwn's basics (*bold*, _italic_, ~strike~, `code`, links, <@user> mentions, > quotes).
 * Small on purpose: it covers the blocks our renderer (adapters/slack/render) produces and refuses anything
 * else, so a new block type shows up as an error here instead of silently missing from the picture.
 *
 * Slack has no public renderer to embed; Block Kit Builder (builderUrl) is the reference to compare with.
 */
import type { SlackMessage } from '../../../adapters/slack/render/render-card.ts';

type Block = SlackMessage['blocks'][number];
interface TextObject {
  type: string;
  text: string;
}

export class BlockKitRenderError extends Error {}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML[c] ?? c);

/** Slack's own escapes (the only three mrkdwn has) back to characters */
const slackUnescape = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** `<url|words>`, `<url>`, `<@U1>`, `<#C1|name>`, `<!here>`: Slack's control sequences (raw `<` only starts one) */
function controlHtml(inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(label ?? target.slice(1).split('^')[0]!)}</span>`;
  const href = slackUnescape(target);
  if (!/^https?:\/\//i.test(href)) throw new BlockKitRenderError(`mrkdwn link to something that is not a web address: ${target}`);
  return `<a href="${escapeHtml(href)}">${escapeHtml(slackUnescape(label ?? target))}</a>`;
}

/** a formatting pair only counts next to a space, punctuation or the line's edge (as in Slack) */
const pair = (mark: string, tag: string) =>
  [new RegExp(`(^|[\\s(\\[{>])\\${mark}(?=\\S)([^\\n${mark}]*?\\S)\\${mark}(?=$|[\\s).,!?:;\\]}<])`, 'gm'), `$1<${tag}>$2</${tag}>`] as const;
const EMPHASIS = [pair('*', 'b'), pair('_', 'i'), pair('~', 's')];

/** text between control sequences: escaped, then code spans kept aside while the emphasis marks are applied */
function inlineHtml(text: string): string {
  const codes: string[] = [];
  let html = escapeHtml(slackUnescape(text)).replace(/`([^`\n]+)`/g, (_, code: string) => `\u0000${codes.push(`<code>${code}</code>`) - 1}\u0000`);
  for (const [re, to] of EMPHASIS) html = html.replace(re, to);
  return html.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]!);
}

export function mrkdwnHtml(text: string): string {
  const out: string[] = [];
  let rest = text;
  for (let m = /<([^<>]*)>/.exec(rest); m; m = /<([^<>]*)>/.exec(rest)) {
    out.push(inlineHtml(rest.slice(0, m.index)), controlHtml(m[1]!));
    rest = rest.slice(m.index + m[0].length);
  }
  out.push(inlineHtml(rest));
  // `> ` (escaped as `&gt; `) at a line's start quotes the line
  return out
    .join('')
    .split('\n')
    .map((l) => (l.startsWith('&gt; ') ? `<span class="quote">${l.slice(5)}</span>` : l))
    .join('<br>');
}

/** plain_text is shown as given; mrkdwn is formatted */
export function textHtml(t: TextObject): string {
  if (t.type === 'plain_text') return escapeHtml(t.text).replace(/\n/g, '<br>');
  if (t.type === 'mrkdwn') return mrkdwnHtml(t.text);
  throw new BlockKitRenderError(`unknown text object type "${t.type}"`);
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${textHtml(block.text)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="text">${textHtml(block.text)}</div>` : '';
      const fields = block.fields?.length ? `<div class="fields">${block.fields.map((f) => `<div>${textHtml(f)}</div>`).join('')}</div>` : '';
      if (!text && !fields) throw new BlockKitRenderError('a section block with neither text nor fields');
      return `<div class="section">${text}${fields}</div>`;
    }
    case 'context':
      return `<div class="context">${block.elements.map((e) => {
        if (e.type !== 'plain_text' && e.type !== 'mrkdwn') throw new BlockKitRenderError(`context element "${e.type}" is not drawn by the gallery`);
        return `<span>${textHtml(e)}</span>`;
      }).join('')}</div>`;
    case 'actions':
      return `<div class="actions">${block.elements.map((e) => {
        if (e.type !== 'button') throw new BlockKitRenderError(`actions element "${e.type}" is not drawn by the gallery`);
        return `<button class="${e.style ?? 'default'}">${textHtml(e.text)}</button>`;
      }).join('')}</div>`;
    case 'divider':
      return '<hr>';
    default:
      throw new BlockKitRenderError(`block type "${block.type}" is not drawn by the gallery`);
  }
}

/** one message as Slack shows it in a channel, under the app's name */
export function messageHtml(message: SlackMessage, appName = 'OIG ChatOps'): string {
  if (message.blocks.length === 0) throw new BlockKitRenderError('a message without blocks');
  return `<div class="slack-message"><div class="avatar">OIG</div><div class="content">` +
    `<div class="meta"><b>${escapeHtml(appName)}</b><span class="app">APP</span></div>` +
    message.blocks.map(blockHtml).join('') +
    '</div></div>';
}

/** Block Kit Builder with this message's blocks loaded: Slack's own preview, one click away */
export function builderUrl(message: SlackMessage): string {
  return `https://app.slack.com/block-kit-builder#${encodeURIComponent(JSON.stringify({ blocks: message.blocks }))}`;
}

/** Slack's look: Lato, 15 px, the colours of the light theme */
export const SLACK_CSS = `
.slack-message { display: flex; gap: 8px; width: 600px; padding: 8px 20px; background: #fff; color: #1d1c1d;
  font: 15px/1.46668 Lato, "Slack-Lato", "Helvetica Neue", Helvetica, "Segoe UI", Arial, sans-serif; }
.slack-message .avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff;
  font: 700 11px/36px sans-serif; text-align: center; }
.slack-message .content { flex: 1; min-width: 0; }
.slack-message .meta b { font-weight: 900; }
.slack-message .app { margin-left: 4px; padding: 0 3px; border-radius: 2px; background: rgba(29,28,29,.13); color: rgba(29,28,29,.7);
  font-size: 10px; font-weight: 700; vertical-align: 2px; }
.slack-message .header { margin: 4px 0 2px; font-size: 18px; font-weight: 900; line-height: 1.33; }
.slack-message .section { margin: 4px 0; overflow-wrap: anywhere; }
.slack-message .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; }
.slack-message .context { margin: 4px 0; color: #616061; font-size: 12px; }
.slack-message .context span + span { margin-left: 8px; }
.slack-message .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.slack-message button { height: 28px; padding: 0 12px; border-radius: 4px; font: 700 13px Lato, "Helvetica Neue", sans-serif;
  border: 1px solid rgba(29,28,29,.3); background: #fff; color: #1d1c1d; }
.slack-message button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.slack-message button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.slack-message a { color: #1264a3; text-decoration: none; }
.slack-message code { padding: 2px 3px; border: 1px solid rgba(29,28,29,.13); border-radius: 3px; background: rgba(29,28,29,.04);
  color: #e01e5a; font: 12px Monaco, Menlo, Consolas, monospace; }
.slack-message .mention { padding: 0 2px; border-radius: 3px; background: rgba(29,155,209,.1); color: #1264a3; }
.slack-message .quote { display: inline-block; padding-left: 12px; border-left: 4px solid #ddd; }
.slack-message hr { margin: 8px 0; border: 0; border-top: 1px solid #ddd; }
`;
