/**
 * How far routing has got, for every consumer together: DATA_DIR/state/routing.json holds the log position
 * (`EventRecord.seq`) through which every stored event has been routed — its tasks written and its cards
 * queued in every durable outbox. At start, routing resumes after it.
 *
 * Written lazily (the newest position, at most once a second, and at a clean stop): a position that lags
 * after a crash only means a few batches are routed again, and every consumer is safe with that — the
 * work queue ignores tasks it has, and each outbox keeps its own position with its cards and skips what it
 * has (src/delivery/card-sink.ts). Only the terminal reprints a card or two.
 */
import type { StateDoc, StateStore } from '../store/state-store.ts';

interface CursorDoc {
  routedThrough: number;
}

/** the newest position is written at most this often (a lagging cursor only means a little re-routing) */
const WRITE_EVERY_MS = 1000;

export class RoutingCursor {
  private written: number;
  private wanted: number;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly file: StateDoc<CursorDoc>) {
    this.written = this.wanted = file.data.routedThrough;
  }

  static async open(state: StateStore): Promise<RoutingCursor> {
    return new RoutingCursor(await state.doc<CursorDoc>('routing', { routedThrough: -1 }).open());
  }

  /** the position routed through (0 when nothing yet) */
  get position(): number {
    return Math.max(0, this.wanted);
  }

  /**
   * Moves the cursor; the file follows within a second. Under a burst routing moves it many times a second,
   * and a durable write each time would compete with the event log's own writes for the disk.
   */
  advance(position: number): void {
    if (position <= this.wanted) return;
    this.wanted = position;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.startWriting();
    }, WRITE_EVERY_MS).unref();
  }

  /** resolves once the newest position is on disk (a clean stop) */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.startWriting();
    while (this.writing) await this.writing;
  }

  /** one writer at a time; cleared asynchronously, after assignment (an async function with nothing to await
   * finishes before `??=` assigns it, which would leave a settled promise behind for ever) */
  private startWriting(): void {
    if (this.writing || this.written >= this.wanted) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = undefined;
    });
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.written < this.wanted) {
        const target = this.wanted;
        await this.file.update((d) => {
          d.routedThrough = target;
        });
        this.written = target;
      }
    } catch {
      // a failed write (disk full) leaves the older position: the batches after it are routed again at
      // start, which every consumer tolerates; the next advance tries again
    }
  }
}
