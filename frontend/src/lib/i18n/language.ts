export const languages = ['nl', 'fr', 'de', 'en'] as const;
export type Lang = (typeof languages)[number];

export const languageNames: Record<Lang, string> = {
  nl: 'Nederlands',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};

/** The key under which the chosen interface language is remembered. It is
 * the only thing Brug keeps in the browser's storage, and holds no personal data. */
export const LANG_KEY = 'brug.lang';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (languages as readonly string[]).includes(v);
}

/** Picks the interface language: an explicit choice wins, then the user's
 * profile, then the browser's languages, then Dutch. */
export function chooseLanguage(stored: string | null, userLang: string | null | undefined, browser: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  if (isLang(userLang)) return userLang;
  for (const tag of browser) {
    const prefix = tag.toLowerCase().split('-')[0];
    if (isLang(prefix)) return prefix;
  }
  return 'nl';
}

/** Replaces {name} placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}
