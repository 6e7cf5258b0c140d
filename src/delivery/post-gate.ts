/**
 * One new message in flight at a time (SPEC §9: "at most one card can be posted twice: the one in flight at
 * a kill -9"). A new message is the only call that can be repeated by mistake: the chat accepts it, the bot
 * dies before it has written down the message's reference, and after the restart the card is posted again
 * (edits are safe to repeat: they carry the reference). Lanes of different channels post in parallel
 * otherwise, so a kill -9 could catch one post per channel in flight; through this gate, posts and their
 * reference writes take turns across every channel and chat. A post takes tens of milliseconds while a
 * channel may take one per second, so the gate costs no pace.
 */
export class PostGate {
  private tail: Promise<unknown> = Promise.resolve();

  /** runs `post` (the call and its reference write) once every earlier one has finished */
  run<T>(post: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(post);
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
