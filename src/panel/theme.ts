// Follows the DevTools theme where the DevTools API is present; elsewhere (the Firefox test
// harness) follows the system's colour scheme.
type ThemeName = "dark" | "light";

function apply(name: string): void {
  document.documentElement.dataset.theme = (name === "dark" ? "dark" : "light") satisfies ThemeName;
}

export async function followDevToolsTheme(): Promise<void> {
  try {
    // Loaded lazily: the polyfill throws outside an extension page.
    const { default: browser } = await import("webextension-polyfill");
    const panels = browser.devtools.panels;
    apply(panels.themeName);
    panels.onThemeChanged?.addListener((name: string) => apply(name));
  } catch {
    const dark = matchMedia("(prefers-color-scheme: dark)");
    apply(dark.matches ? "dark" : "light");
    dark.addEventListener("change", () => apply(dark.matches ? "dark" : "light"));
  }
}
