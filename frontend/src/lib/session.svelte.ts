import * as client from './api';
import type { User } from './api';
import { i18n } from './i18n/index.svelte';
import { LANG_KEY } from './i18n/language';
import { offline } from './offline/sync.svelte';

// offline: the user was restored from IndexedDB after a reload without network.
const state = $state<{ user: User | null; ready: boolean; ended: boolean; offline: boolean }>({ user: null, ready: false, ended: false, offline: false });

let timer: ReturnType<typeof setTimeout> | undefined;

/** Refreshes silently a minute before the access token expires. */
function schedule(expiresIn: number) {
  clearTimeout(timer);
  const ms = Math.max(10, expiresIn - 60) * 1000;
  timer = setTimeout(async () => {
    const tokens = await client.refreshSession();
    if (tokens) {
      state.user = tokens.user;
      schedule(tokens.expires_in);
    } else {
      end(true);
    }
  }, ms);
}

function begin(tokens: client.TokenResponse) {
  state.user = tokens.user;
  state.ended = false;
  state.offline = false;
  i18n.adoptProfile(tokens.user.language);
  schedule(tokens.expires_in);
  void offline.begin(tokens.user, true);
}

/** Forgets everything the browser holds for this app except the language. */
function clearStorage() {
  try {
    for (const store of [localStorage, sessionStorage]) {
      for (let i = store.length - 1; i >= 0; i--) {
        const k = store.key(i);
        if (k && k !== LANG_KEY) store.removeItem(k);
      }
    }
  } catch {
    /* storage unavailable */
  }
}

function end(expired: boolean) {
  clearTimeout(timer);
  client.setAccessToken(null);
  state.user = null;
  state.ended = expired;
  state.offline = false;
  clearStorage();
  void (expired ? offline.expired() : offline.signedOut());
}

client.configure({ onSessionEnded: () => end(true) });

offline.configure({
  // The network is back after an offline reload: the refresh cookie signs in again.
  async reconnect() {
    if (!state.offline) return;
    const tokens = await client.refreshSession();
    if (tokens) begin(tokens);
    else end(true);
  },
  idle: () => void session.logout(true),
});

export const session = {
  get user() {
    return state.user;
  },
  get ready() {
    return state.ready;
  },
  get ended() {
    return state.ended;
  },
  get offline() {
    return state.offline;
  },
  /** On start: the refresh cookie, if the hint says there is one, restores the session. */
  async restore() {
    try {
      const saved = await offline.boot();
      if (!client.hasSessionHint()) return;
      let tokens: client.TokenResponse | null;
      try {
        tokens = await client.refreshSession();
      } catch (err) {
        // No network: the last user's app, from what this phone kept.
        if (!saved) throw err;
        state.user = saved;
        state.offline = true;
        i18n.adoptProfile(saved.language);
        void offline.begin(saved, false);
        return;
      }
      if (tokens) begin(tokens);
      else if (saved) end(true);
    } finally {
      state.ready = true;
    }
  },
  /** Signs in; returns the challenge when a second factor is still due. */
  async login(email: string, password: string): Promise<client.SecondFactorChallenge | null> {
    const answer = await client.login(email, password);
    if (client.isChallenge(answer)) return answer;
    begin(answer);
    return null;
  },
  /** Starts the session a second-factor step opened. */
  start(tokens: client.TokenResponse) {
    begin(tokens);
  },
  /** Warns first when queued items would be lost (force: the 12 h limit). */
  async logout(force = false) {
    if (!force && !offline.confirmLogout()) return;
    try {
      await client.logout();
    } finally {
      end(false);
    }
  },
  update(user: User) {
    state.user = user;
  },
};
