// A minimal typed event emitter: the engine's only way of telling the outside world anything.
export type Listener<E> = (event: E) => void;

export class Emitter<E> {
  private readonly listeners = new Set<Listener<E>>();

  on(listener: Listener<E>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken subscriber must not break the session it is watching.
        console.error("Loopback Lab: a listener threw", error);
      }
    }
  }
}
