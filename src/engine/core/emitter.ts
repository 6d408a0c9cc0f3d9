// A typed event emitter keyed by event name: the engine's only way of telling the outside world
// anything. Each subscriber names what it draws and receives only that.
export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes to one event; returns the unsubscribe function, and also unsubscribes when `signal` aborts. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>, signal?: AbortSignal): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = listener as Listener<never>;
    set.add(entry);
    const off = () => {
      set.delete(entry);
      signal?.removeEventListener("abort", off);
    };
    if (signal?.aborted) off();
    else signal?.addEventListener("abort", off, { once: true });
    return off;
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        // A broken subscriber must not break the connection it is watching.
        console.error(`Loopback Lab: a "${String(name)}" listener threw`, error);
      }
    }
  }

  /** How many listeners an event has: lets tests prove views unsubscribe. */
  listenerCount(name: keyof Events): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}
