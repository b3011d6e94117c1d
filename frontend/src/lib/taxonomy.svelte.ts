import { api } from './api';
import { i18n } from './i18n/index.svelte';

export interface Term { code: string; labels: Record<string, string> }
export interface Taxonomy {
  chw_missions: Term[];
  provider_types: Term[];
  barrier_categories: Term[];
  belgian_care_rights: Term[];
}

const state = $state<{ data: Taxonomy | null }>({ data: null });
let loading: Promise<void> | null = null;

/** Loads the taxonomy once per session; reference data does not change while the app runs. */
export function loadTaxonomy(): Promise<void> {
  loading ??= api<Taxonomy>('GET', '/api/v1/reference/taxonomy')
    .then((d) => {
      state.data = d;
    })
    .catch((e) => {
      loading = null;
      throw e;
    });
  return loading;
}

export const taxonomy = {
  get data() {
    return state.data;
  },
  terms(kind: keyof Taxonomy): Term[] {
    return state.data?.[kind] ?? [];
  },
  label(kind: keyof Taxonomy, code: string): string {
    const term = state.data?.[kind].find((t) => t.code === code);
    return term?.labels[i18n.lang] ?? term?.labels.en ?? code;
  },
};
