import type { Child } from 'hono/jsx';

/**
 * A table wider than a phone scrolls inside its own region, not the page: the region is
 * named and focusable so a keyboard can scroll it (axe: scrollable-region-focusable).
 */
export function ScrollTable({ label, children }: { label: string; children: Child }) {
  return <div class="table-scroll" role="region" aria-label={label} tabindex={0}>{children}</div>;
}
