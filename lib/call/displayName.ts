/** displayName: the name this browser last used, remembered in localStorage. */
const KEY = 'confab:displayName';

export function loadDisplayName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveDisplayName(name: string): void {
  try {
    localStorage.setItem(KEY, name.trim());
  } catch {
    // Not remembered; nothing else depends on it.
  }
}
