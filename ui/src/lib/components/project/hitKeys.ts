// Moving between the hits of the project panel with the keyboard: Down from the search field goes
// to the first hit; Up/Down/Home/End move between hits (roving tabindex), Up from the first goes
// back to the field; Enter opens a hit, Space includes or excludes it in a preview. The hits are
// the panel's `[data-hit]` elements, whichever list (results, preview, glossary) shows them.

export class HitKeys {
  constructor(
    private readonly panel: () => HTMLElement | undefined,
    private readonly field: () => HTMLInputElement | undefined,
  ) {}

  private items(): HTMLElement[] {
    return [...(this.panel()?.querySelectorAll<HTMLElement>('[data-hit]') ?? [])];
  }

  focus(el: HTMLElement | undefined) {
    if (!el) return;
    for (const other of this.items()) other.tabIndex = other === el ? 0 : -1;
    el.focus();
    el.scrollIntoView?.({ block: 'nearest' });
  }

  focusFirst() {
    this.focus(this.items()[0]);
  }

  /** Keys on a hit: `open` on Enter, `toggle` (if any) on Space. */
  onHit(e: KeyboardEvent, open: () => void, toggle?: () => void) {
    const me = e.currentTarget as HTMLElement;
    if (e.target !== me) return; // a checkbox inside has its own keys
    const items = this.items();
    const at = items.indexOf(me);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        this.focus(items[Math.min(items.length - 1, at + 1)]);
        break;
      case 'ArrowUp':
        if (at <= 0) this.field()?.focus();
        else this.focus(items[at - 1]);
        break;
      case 'Home':
        this.focus(items[0]);
        break;
      case 'End':
        this.focus(items[items.length - 1]);
        break;
      case 'Enter':
        open();
        break;
      case ' ':
        if (toggle) toggle();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
}
