import { en, type MessageKey } from './en';
import { nl } from './nl';
import { fr } from './fr';
import { de } from './de';
import { chooseLanguage, format, LANG_KEY, type Lang } from './language';

export { languages, languageNames, type Lang } from './language';
export type { MessageKey };

export const catalogs: Record<Lang, Record<MessageKey, string>> = { nl, fr, de, en };

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
}

const state = $state<{ lang: Lang; explicit: boolean }>({
  lang: chooseLanguage(storedLanguage(), null, browserLanguages()),
  explicit: storedLanguage() !== null,
});

function apply(lang: Lang) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
apply(state.lang);

export const i18n = {
  get lang(): Lang {
    return state.lang;
  },
  /** The person chose a language: remember it. */
  choose(lang: Lang) {
    state.lang = lang;
    state.explicit = true;
    try {
      localStorage.setItem(LANG_KEY, lang);
    } catch {
      /* private mode: the choice lasts this visit */
    }
    apply(lang);
  },
  /** The profile's language applies unless the person chose one here. */
  adoptProfile(lang: string | null | undefined) {
    if (state.explicit) return;
    state.lang = chooseLanguage(null, lang, browserLanguages());
    apply(state.lang);
  },
};

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalogs[state.lang][key] ?? en[key], params);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  return new Intl.DateTimeFormat(state.lang + '-BE', { dateStyle: 'medium', timeZone: 'Europe/Brussels' }).format(new Date(iso));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(state.lang + '-BE').format(n);
}

/** A moment shown as Brussels date and time, the way the language writes it. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  return new Intl.DateTimeFormat(state.lang + '-BE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(new Date(iso));
}
