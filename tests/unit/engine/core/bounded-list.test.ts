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

describe("BoundedList.pushInOrder", () => {
  it("inserts after the last item that does not come after it", () => {
    const list = new BoundedList<number>(10);
    for (const n of [1, 3, 5, 4, 0, 5]) list.pushInOrder(n, (existing) => existing > n);
    expect(list.toArray()).toEqual([0, 1, 3, 4, 5, 5]);
  });
});
