/**
 * The bottom tab bar (thumb reach) and its panels: screens build once,
 * switching tabs only hides them; arrow keys move between tabs, and the
 * chosen tab is kept in the URL's hash.
 */
import { h } from '../dom.ts';

export interface TabDef {
  id: string;
  label: string;
  /** SVG markup of the tab's icon (24×24 viewBox). */
  icon: string;
  build: () => HTMLElement;
}

function icon(markup: string): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = markup;
  return svg;
}

export function createTabs(defs: TabDef[]): { tablist: HTMLElement; panels: HTMLElement[] } {
  const first = defs[0]!.id;
  const tabs = defs.map((d) =>
    h(
      'button',
      {
        id: `tab-${d.id}`,
        type: 'button',
        role: 'tab',
        'aria-controls': `panel-${d.id}`,
        'aria-selected': 'false',
        tabindex: -1,
        'data-testid': `tab-${d.id}`,
        onclick: () => select(d.id, true),
      },
      icon(d.icon),
      h('span', {}, d.label),
    ),
  );
  const panels = defs.map((d) =>
    h(
      'section',
      {
        id: `panel-${d.id}`,
        class: 'panel',
        role: 'tabpanel',
        'aria-labelledby': `tab-${d.id}`,
        hidden: true,
        tabindex: -1,
      },
      d.build(),
    ),
  );
  const tablist = h('nav', { class: 'tabbar', role: 'tablist', 'aria-label': 'Screens' }, ...tabs);
  tablist.addEventListener('keydown', (e) => {
    const i = tabs.findIndex((t) => t === document.activeElement);
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (i < 0 || !d) return;
    e.preventDefault();
    const next = (i + d + tabs.length) % tabs.length;
    select(defs[next]!.id, true);
    tabs[next]?.focus();
  });

  function select(id: string, fromUser: boolean): void {
    defs.forEach((d, k) => {
      const on = d.id === id;
      tabs[k]!.setAttribute('aria-selected', String(on));
      tabs[k]!.tabIndex = on ? 0 : -1;
      panels[k]!.hidden = !on;
      if (on) document.title = `${d.label} · Diffuse`;
    });
    if (fromUser) history.replaceState(null, '', id === first ? ' ' : `#${id}`);
    // Plots measure their box when visible.
    window.dispatchEvent(new Event('resize'));
  }

  const fromHash = location.hash.slice(1);
  select(defs.some((d) => d.id === fromHash) ? fromHash : first, false);
  return { tablist, panels };
}
