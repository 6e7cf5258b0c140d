/**
 * A bounded set of recently seen ids, oldest forgotten first. Used for envelope eventIds: a retried
 * delivery is answered at once. Losing an entry is harmless: event uuids are deduplicated durably anyway.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}
