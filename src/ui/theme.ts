/** Light/dark theme: follows prefers-color-scheme unless the user picks one. */
import { settings, THEMES, type ThemeChoice } from './settings.ts';

const THEME_COLORS = { light: '#f6f5fb', dark: '#14121f' } as const;

function effective(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(): void {
  const choice = settings.get().theme;
  const mode = effective(choice);
  document.documentElement.dataset.theme = mode;
  document.documentElement.style.colorScheme = mode;
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLORS[mode]);
}

export function nextTheme(current: ThemeChoice): ThemeChoice {
  const i = THEMES.indexOf(current);
  return THEMES[(i + 1) % THEMES.length] ?? 'system';
}

export function themeLabel(choice: ThemeChoice): string {
  return { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' }[choice];
}

export function watchSystemTheme(): void {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
  settings.subscribe(applyTheme);
  applyTheme();
}
