import type { MemberQuery } from '../domain/panels/panel-members.ts';
import { memberSearchUrl } from './member-row.tsx';

/**
 * A link-like button that shows the members list for a search: the search (a ULI or a name)
 * goes in the POST body, so it is in no URL, history entry or server log.
 */
export function MemberSearchButton({ panelId, query, label, rel }: { panelId: number; query: MemberQuery; label: string; rel?: string }) {
  const url = memberSearchUrl(panelId);
  return (
    <form method="post" action={url} hx-post={url} hx-target="#members" hx-swap="outerHTML" class="inline" data-rel={rel}>
      <input type="hidden" name="q" value={query.q} />
      {query.problem ? <input type="hidden" name="problem" value={query.problem} /> : null}
      {query.page > 1 ? <input type="hidden" name="page" value={String(query.page)} /> : null}
      <button type="submit" class="link">{label}</button>
    </form>
  );
}
