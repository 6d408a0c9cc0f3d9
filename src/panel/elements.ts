// Typed lookups of the panel's static markup (panel/panel.html), failing loudly when the markup and code drift apart.
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`panel.html lacks #${id} (${type.name})`);
  return element;
}

/** Creates an element whose content is text only: received data never becomes markup. */
export function textElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}
