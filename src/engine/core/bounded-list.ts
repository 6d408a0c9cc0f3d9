// Keeps the newest `limit` items and counts what it dropped, so long sessions stay bounded in memory.
export class BoundedList<T> {
  private items: T[] = [];
  private droppedCount = 0;

  constructor(readonly limit: number) {}

  push(item: T): void {
    this.items.push(item);
    this.trim();
  }

  /**
   * Inserts after the last item that does not come after it: a push when items arrive in order.
   * Bounded either way: items that arrive out of order (a forging page's) trim the oldest too.
   */
  pushInOrder(item: T, comesAfter: (existing: T) => boolean): void {
    let at = this.items.length;
    while (at > 0 && comesAfter(this.items[at - 1] as T)) at--;
    if (at === this.items.length) this.push(item);
    else {
      this.items.splice(at, 0, item);
      this.trim();
    }
  }

  /** Drops the oldest in batches, so a full list does not shift on every insert. */
  private trim(): void {
    if (this.items.length > this.limit + Math.max(16, this.limit >> 3)) {
      const excess = this.items.length - this.limit;
      this.items.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  /** Drops the `n` oldest kept items, counted as dropped: a budget shared with other lists asks this. */
  dropOldest(n: number): void {
    // Items past the limit not yet trimmed go too, or they would show again once room is made.
    const cut = Math.max(0, this.items.length - this.limit) + Math.min(Math.max(0, n), this.length);
    this.items.splice(0, cut);
    this.droppedCount += cut;
  }

  get dropped(): number {
    return this.droppedCount + Math.max(0, this.items.length - this.limit);
  }

  toArray(): T[] {
    return this.items.length > this.limit
      ? this.items.slice(this.items.length - this.limit)
      : this.items.slice();
  }

  get length(): number {
    return Math.min(this.items.length, this.limit);
  }

  clear(): void {
    this.items = [];
    this.droppedCount = 0;
  }
}
