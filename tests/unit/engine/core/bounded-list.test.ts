import { describe, expect, it } from "vitest";
import { BoundedList } from "../../../../src/engine/core/bounded-list";

describe("BoundedList", () => {
  it("keeps the newest items and counts the rest", () => {
    const list = new BoundedList<number>(10);
    for (let i = 0; i < 1000; i++) list.push(i);
    expect(list.toArray()).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    expect(list.length).toBe(10);
    expect(list.dropped).toBe(990);
  });
  it("drops nothing under the limit", () => {
    const list = new BoundedList<number>(10);
    list.push(1);
    expect(list.toArray()).toEqual([1]);
    expect(list.dropped).toBe(0);
  });
  it("clears", () => {
    const list = new BoundedList<number>(2);
    for (let i = 0; i < 50; i++) list.push(i);
    list.clear();
    expect(list.toArray()).toEqual([]);
    expect(list.dropped).toBe(0);
  });
});

describe("BoundedList.dropOldest", () => {
  it("lets the oldest kept items go and counts them, never more than it keeps", () => {
    const list = new BoundedList<number>(10);
    for (let i = 0; i < 15; i++) list.push(i);
    list.dropOldest(3);
    expect(list.toArray()).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(list.dropped).toBe(8);
    list.dropOldest(100);
    expect(list.toArray()).toEqual([]);
    expect(list.dropped).toBe(15);
  });
});

describe("BoundedList.pushInOrder", () => {
  it("inserts after the last item that does not come after it", () => {
    const list = new BoundedList<number>(10);
    for (const n of [1, 3, 5, 4, 0, 5]) list.pushInOrder(n, (existing) => existing > n);
    expect(list.toArray()).toEqual([0, 1, 3, 4, 5, 5]);
  });

  it("stays bounded when every item arrives out of order (a forged flood), keeping the newest", () => {
    const list = new BoundedList<number>(100);
    // Each item is older than the last: every one is a mid-list insert, never a push.
    for (let n = 0; n < 100_000; n++) {
      list.pushInOrder(1_000_000 - n, (existing) => existing > 1_000_000 - n);
      list.pushInOrder(2_000_000 + n, (existing) => existing > 2_000_000 + n);
    }
    expect(list.length).toBe(100);
    expect((list as unknown as { items: number[] }).items.length).toBeLessThanOrEqual(100 + 16);
    expect(list.dropped).toBe(200_000 - 100);
    expect(list.toArray().at(-1)).toBe(2_000_000 + 99_999);
  });
});
