/**
 * A run that ends while the app is in a background tab says so in the tab's
 * title ("✓ Done: 4 images · Diffuse"); coming back to the tab puts the
 * screen's own title back.
 */
export function tellInTitle(text: string): void {
  if (!document.hidden) return;
  const own = document.title.replace(/^[✓✗] .*? · /, '');
  document.title = `${text} · ${own}`;
  const back = () => {
    if (document.hidden) return;
    document.title = own;
    document.removeEventListener('visibilitychange', back);
  };
  document.addEventListener('visibilitychange', back);
}
