/**
 * A message to the bot (issue 7 §5): `@OIG oig revokes`, `@OIG oig subscribe manual`, or in a personal
 * chat just `revokes`. A translator: the words go to teams-words.ts and the /oig parser and engine
 * (src/commands), the answer to the Adaptive Card renderers.
 *
 * Answers are private to the asker (SPEC §5). A personal chat is private already. In a channel Teams has
 * no ephemeral messages, so the reply is a user-specific view: everyone sees a placeholder naming the
 * asker; the asker's Teams client asks the bot for their view (invoke `oig_answer`, card-actions.ts) and
 * gets the data.
 */
import { chatCommand } from '../../../src/commands/engine.ts';
import { AppError } from '../../../src/errors.ts';
import { isAllowed, needsEmail } from '../../../src/followup/permissions.ts';
import { exportPath } from '../csv-exports.ts';
import { answerPlaceholder, renderAnswer, renderExportLink, renderNotice } from '../render/render-answer.ts';
import { cardMessage } from '../card-message.ts';
import { FAMILY_NAMES, familiesText, readWords } from '../teams-words.ts';
import type { Turn } from '../teams-types.ts';
import type { RequestInfo, TurnDeps } from './teams-context.ts';
import { teamsActor } from './teams-actor.ts';
import { teamsPage } from './teams-help.ts';

function isPersonal(turn: Turn): boolean {
  return turn.activity.conversation?.conversationType === 'personal';
}

export async function onMessage(turn: Turn, d: TurnDeps, req: RequestInfo): Promise<void> {
  const words = readWords(turn.activity.text);
  const who = turn.activity.from?.name ?? turn.activity.from?.aadObjectId ?? 'someone';
  if (words.kind !== 'oig' && !isAllowed(d.allowedUsers, await teamsActor(turn, needsEmail(d.allowedUsers)))) {
    // where governance cards go is an admin's choice: deny by default, like the buttons (SPEC §2)
    d.log.warn({ by: who, words: words.kind }, 'Teams subscription change refused: not in OIG_ALLOWED_USERS');
    await turn.reply(cardMessage(renderNotice('Only people listed in OIG_ALLOWED_USERS can change where oig-chatops posts cards. Nothing was changed.')));
    return;
  }
  switch (words.kind) {
    case 'subscribe': {
      if (words.unknown.length > 0 && words.families.length === 0) {
        // a typo must not subscribe the channel to everything
        await turn.reply(cardMessage(renderNotice(`I do not know ${words.unknown.join(', ')}. Families: ${FAMILY_NAMES}. Write "oig subscribe" alone for all cards. Nothing was changed.`)));
        return;
      }
      const teamId = turn.activity.channelData?.team?.id;
      const sub = await d.subscriptions.subscribe(turn.reference, words.families, who, teamId);
      d.log.info({ conversation: sub.ref.conversation.id, families: sub.families, by: who }, 'Teams conversation subscribed');
      const unknown = words.unknown.length ? ` I did not know ${words.unknown.join(', ')} (families: ${FAMILY_NAMES}).` : '';
      await turn.reply(cardMessage(renderNotice(`This conversation now gets ${familiesText(sub.families)} from oig-chatops. Write "oig unsubscribe" to stop.${unknown}`)));
      return;
    }
    case 'unsubscribe': {
      const was = await d.subscriptions.unsubscribe(turn.activity.conversation?.id ?? '');
      if (was) d.log.info({ conversation: turn.activity.conversation?.id, by: who }, 'Teams conversation unsubscribed');
      await turn.reply(cardMessage(renderNotice(was ? 'This conversation gets no more cards. Write "oig subscribe" to get them again.' : 'This conversation was not subscribed; nothing changed.')));
      return;
    }
    case 'oig':
      await answer(turn, words.text, d, req, who);
  }
}

async function answer(turn: Turn, text: string, d: TurnDeps, req: RequestInfo, who: string): Promise<void> {
  const personal = isPersonal(turn);
  const asker = turn.activity.from?.id;
  const cmd = chatCommand(text, d.commands);
  let view: string | undefined;
  if (cmd.csv) {
    const file = cmd.csv();
    let token: string;
    try {
      token = await d.exports.add(file);
      if (!personal && asker) view = await d.exports.viewFor(token, asker);
    } catch (err) {
      // the export store in PostgreSQL did not answer: say so instead of leaving the asker without a reply
      if (!(err instanceof AppError)) throw err;
      await turn.reply(cardMessage(renderNotice(err.message)));
      return;
    }
    d.log.info({ kind: cmd.parsed.query.kind, rows: file.rows }, 'Teams export ready');
    if (personal || !asker) {
      await turn.reply(cardMessage(renderExportLink(file.title, `${req.publicUrl}${exportPath(token)}`, file.rows, text), `${file.title}: CSV`));
      return;
    }
  }
  if (personal || !asker) {
    await turn.reply(cardMessage(renderAnswer(teamsPage(cmd), text), `oig ${text}`.trim()));
    return;
  }
  await turn.reply(cardMessage(answerPlaceholder(who, text, [asker], view), `Answer for ${who}`));
}
