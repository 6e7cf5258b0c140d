/**
 * docs/gallery/index.html: every card kind with its Slack and Teams pictures side by side, and the link
 * that opens the Slack message in Block Kit Builder. Static, no script: it reads the same from a clone, a
 * GitHub Pages site or a file:// URL.
 */
import { escapeHtml } from './block-kit-html.ts';

export interface PageEntry {
  id: string;
  name: string;
  kind: string;
  slackPng: string;
  teamsPng: string;
  builderUrl: string;
}

const STYLE = `
body { margin: 0 auto; max-width: 1320px; padding: 24px; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d1c1d; }
h1 { margin-top: 0; } h2 { margin: 40px 0 8px; font-size: 19px; } h2 code { font-size: 13px; color: #616061; font-weight: 400; }
.pair { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; } figcaption { margin-bottom: 6px; font-weight: 600; }
img { display: block; max-width: 100%; border: 1px solid #ddd; border-radius: 6px; }
nav a { margin-right: 12px; white-space: nowrap; }
`;

export function galleryPage(entries: readonly PageEntry[]): string {
  const nav = entries.map((e) => `<a href="#${escapeHtml(e.id)}">${escapeHtml(e.name)}</a>`).join('\n');
  const sections = entries.map((e) => `
<section id="${escapeHtml(e.id)}">
  <h2>${escapeHtml(e.name)} <code>${escapeHtml(e.kind)}</code></h2>
  <div class="pair">
    <figure>
      <figcaption>Slack · <a href="${escapeHtml(e.builderUrl)}">open in Block Kit Builder</a></figcaption>
      <img src="${escapeHtml(e.slackPng)}" alt="${escapeHtml(e.name)} as a Slack message" loading="lazy">
    </figure>
    <figure>
      <figcaption>Microsoft Teams</figcaption>
      <img src="${escapeHtml(e.teamsPng)}" alt="${escapeHtml(e.name)} as a Teams Adaptive Card" loading="lazy">
    </figure>
  </div>
</section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oig-chatops card gallery</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Card gallery</h1>
<p>Every card kind the bot posts, made from the demo's sample events (<code>npm run demo</code>) by the bot's own
routing and card builders, then drawn as Slack shows it (a Block Kit rendering; Block Kit Builder shows Slack's own)
and as Teams shows it (Microsoft's Adaptive Cards JavaScript renderer). Regenerate with <code>npm run gallery</code>.</p>
<nav>
${nav}
</nav>
${sections}
</body>
</html>
`;
}
