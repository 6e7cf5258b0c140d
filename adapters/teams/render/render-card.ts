/**
 * Card → Teams Adaptive Card 1.5 (SPEC §5): a pure function from the neutral card model to the JSON of a
 * message attachment, the Teams twin of adapters/slack/render/render-card.ts and the same layout — title
 * with a severity marker, a small line naming the kind and time, the facts, notes, a digest's lists, and the
 * buttons as Universal Actions (`Action.Execute`, verb = the CardAction id, data = { taskId }), which Teams
 * sends to the bot as an `adaptiveCard/action` invoke.
 *
 * Untrusted text is made inert as adaptive-text.ts explains; the card is kept inside the size budget of
 * limits.ts by dropping whole lines from the end.
 */
import { linkUrl, type Card, type CardAction, type CardLink, type CardSection, type Severity } from '../../../src/cards/card.ts';
import { timeText } from '../../../src/cards/format.ts';
import { KIND_LABELS, SEVERITY_MARKERS } from '../../../src/cards/labels.ts';
import type {
  ActionSet, AdaptiveCard, AnswerActionData, CardElement, CardRefresh, ExecuteAction, OpenUrlAction, RichTextBlock, TaskActionData, TextColor,
} from './adaptive-card-types.ts';
import { clipText, factText, line, oneLine, paragraphs } from './adaptive-text.ts';
import { TEAMS_LIMITS as L, fitBody, type BodyPart } from './limits.ts';

/** the markers Slack uses, so a card reads the same in both products */

const COLORS: Record<Severity, TextColor> = { info: 'Default', success: 'Good', warning: 'Warning', danger: 'Attention' };

/** The frame every card of this adapter shares. */
export function adaptiveCard(body: CardElement[], actions: ExecuteAction[] = [], refresh?: CardRefresh): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
    ...(refresh ? { refresh } : {}),
  };
}

export function execute(title: string, verb: string, data: TaskActionData | AnswerActionData, style?: ExecuteAction['style']): ExecuteAction {
  return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
}

/** A card button: verb = ActionId, data.taskId = the task id, so the invoke handler gets what the card says. */
export function taskAction(a: CardAction): ExecuteAction {
  const style = a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined;
  return execute(a.label, a.id, { taskId: a.value }, style);
}

/** The big coloured first line of a card (untrusted: a TextRun). */
export function titleBlock(text: string, severity: Severity, size: 'Medium' | 'Large' = 'Large'): RichTextBlock {
  return line(`${SEVERITY_MARKERS[severity]} ${text}`, L.titleText, { weight: 'Bolder', size, color: COLORS[severity] }, 'Default');
}

/** a small grey line the renderer writes itself (still a TextRun: it may quote untrusted text) */
export function subtleLine(text: string, spacing: 'None' | 'Small' | 'Medium' = 'None'): RichTextBlock {
  return line(text, L.lineText, { isSubtle: true, size: 'Small' }, spacing);
}

function sectionParts(s: CardSection): BodyPart[] {
  return [
    line(s.title, L.lineText, { weight: 'Bolder' }, 'Medium'),
    ...s.lines.map((l) => line(`• ${l}`, L.lineText)),
    ...(s.more ? [subtleLine(`… and ${s.more} more`)] : []),
  ];
}

/**
 * A link we built (CardLink) as an `Action.OpenUrl` button: its title is plain text and its URL is ours,
 * so it is the one way a card shows a link (untrusted text never does). Only http(s) URLs.
 */
export function linkAction(link: CardLink): OpenUrlAction | undefined {
  const url = linkUrl(link);
  if (!url) return undefined;
  return { type: 'Action.OpenUrl', title: clipText(oneLine(link.label), L.factTitle) || url.hostname, url: url.href };
}

function linkParts(links: readonly CardLink[]): BodyPart[] {
  const actions = links.map(linkAction).filter((a): a is OpenUrlAction => a !== undefined);
  const set: ActionSet = { type: 'ActionSet', actions, spacing: 'Small' };
  return actions.length > 0 ? [set] : [];
}

function bodyParts(card: Card): BodyPart[] {
  return [
    ...card.facts.map((f) => ({ title: factText(f.label, L.factTitle), value: factText(f.value, L.factValue) })),
    ...(card.notes ?? []).flatMap((n) => paragraphs(n, L.noteText)),
    ...linkParts(card.links ?? []),
    ...(card.sections ?? []).flatMap(sectionParts),
  ];
}

export function shortenedNotice(dropped: number, what = 'line(s)'): RichTextBlock {
  return line(`Shortened: ${dropped} more ${what} did not fit in one Teams message.`, L.lineText, { isSubtle: true, color: 'Warning' }, 'Small');
}

export function renderCard(card: Card): AdaptiveCard {
  const when = timeText(card.at);
  const head = [titleBlock(card.title, card.severity), subtleLine(KIND_LABELS[card.kind] + (when ? ` · ${when}` : ''))];
  const frame = adaptiveCard(head, (card.actions ?? []).map(taskAction));
  return fitBody(frame, bodyParts(card), [], (n) => shortenedNotice(n));
}

/**
 * The notification line (the activity's `summary`, what a toast or the chat list shows): title and the first
 * three facts. Plain text, not escaped — a `summary` is not rendered as Markdown; if it is ever sent as an
 * activity's `text` instead, send it with `textFormat: 'plain'`.
 */
export function renderPlainText(card: Card): string {
  const summary = card.facts.slice(0, 3).map((f) => `${f.label}: ${f.value}`).join(' · ');
  return clipText(oneLine(`${SEVERITY_MARKERS[card.severity]} ${card.title}${summary ? ` — ${summary}` : ''}`), L.summaryText);
}
