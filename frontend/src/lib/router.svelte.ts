const state = $state({ path: typeof location === 'undefined' ? '/' : location.pathname });

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    state.path = location.pathname;
  });
}

export const router = {
  get path() {
    return state.path;
  },
  navigate(path: string, replace = false) {
    // A query (a list's filter) goes to the address bar; the path routes.
    const [pathname] = path.split('?');
    if (path === state.path) return;
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    state.path = pathname;
  },
};

/** Click handler for internal links: plain clicks route in the app; a
 * modified click (new tab) keeps the browser's behaviour. */
export function link(e: MouseEvent) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.currentTarget as HTMLAnchorElement;
  e.preventDefault();
  router.navigate(a.pathname + a.search);
}
