/**
 * Keyboard focus is never left under the fixed bars at the bottom (the tab
 * bar, Generate's action bar) or the top of the viewport: a focused control
 * they cover is scrolled into the free band between them. Controls inside
 * the bars themselves, and dialogs, are left alone.
 */
const BARS = '.tabbar, .action-bar';
const MARGIN = 12;

/** The top of the highest visible fixed bar at the bottom of the viewport. */
function freeBottom(): number {
  let bottom = window.innerHeight;
  for (const bar of document.querySelectorAll<HTMLElement>(BARS)) {
    if (bar.closest('[hidden]')) continue;
    const r = bar.getBoundingClientRect();
    if (r.height > 0) bottom = Math.min(bottom, r.top);
  }
  return bottom;
}

export function keepFocusVisible(): void {
  document.addEventListener('focusin', (e) => {
    const el = e.target;
    if (!(el instanceof HTMLElement) || el.closest(`${BARS}, dialog`)) return;
    const r = el.getBoundingClientRect();
    const bottom = freeBottom() - MARGIN;
    if (r.bottom > bottom) window.scrollBy({ top: r.bottom - bottom, behavior: 'instant' });
    else if (r.top < MARGIN) window.scrollBy({ top: r.top - MARGIN, behavior: 'instant' });
  });
}
