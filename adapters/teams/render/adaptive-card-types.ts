/**
 * The Adaptive Card 1.5 JSON this adapter sends (adaptivecards.io schema explorer), as plain types: only the
 * elements and properties the renderers use. Declared here rather than taken from botbuilder so the renderers
 * stay pure data-in, data-out and the card is checked against exactly what Teams documents.
 */

export type TextColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type TextSize = 'Small' | 'Default' | 'Medium' | 'Large';
export type Spacing = 'None' | 'Small' | 'Default' | 'Medium';

/** A run of text inside a RichTextBlock. Teams shows `text` as given: no Markdown is interpreted. */
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: TextSize;
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'Monospace';
}

/** One paragraph of TextRuns (always wraps). The element for every untrusted text but fact values. */
export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: Spacing;
}

/** Teams interprets a Markdown subset in both `title` and `value`: both are escaped (adaptive-text.ts). */
export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
}

/** Buttons inside the body, under what they act on (a task row of an `oig skipped` answer, a card's links). */
export interface ActionSet {
  type: 'ActionSet';
  actions: Array<ExecuteAction | OpenUrlAction>;
  spacing?: Spacing;
}

/** Elements kept together: a task row (its line and its buttons) is dropped whole when a card is too big. */
export interface Container {
  type: 'Container';
  items: CardElement[];
  spacing?: Spacing;
}

export type CardElement = RichTextBlock | FactSet | ActionSet | Container;

/** What a manual-remediation button carries back: the task id (SPEC §5 "value = the task id"). */
export interface TaskActionData {
  taskId: string;
  /** set on the buttons of an answer's task row: the answer to show again after the press */
  answer?: AnswerActionData;
}

/** What a "More" button or an answer refresh carries back: the command words and the page to show. */
export interface AnswerActionData {
  command: string;
  page: number;
  /**
   * the Teams id of who asked: in a channel of fewer than 60 people Teams refreshes a card for everyone,
   * so the bot shows the answer only to this id (everyone else gets the placeholder again)
   */
  asker?: string;
  /** an export's view id (csv-exports.ts): the asker's answer is a link to the CSV */
  export?: string;
}

/**
 * Universal Actions (card 1.4+): Teams sends an `adaptiveCard/action` invoke with `verb` and `data` to the
 * bot, which answers with the card that replaces this one.
 */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: TaskActionData | AnswerActionData;
  style?: 'positive' | 'destructive';
}

/**
 * User-specific views: Teams runs `action` (invoke `adaptiveCard/action`, trigger "automatic") for each
 * listed user who looks at the card, and shows that user the card the bot answers with.
 */
/** a link we built (the CSV download of `oig export`, a card's CardLink); its title is shown as written */
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface CardRefresh {
  action: ExecuteAction;
  userIds: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  /** Teams-only: use the whole width of the conversation, not the narrow default bubble */
  msteams: { width: 'Full' };
  body: CardElement[];
  actions?: Array<ExecuteAction | OpenUrlAction>;
  refresh?: CardRefresh;
}
