// Which panel a CSV row's "primary provider" means. An EMR report names the provider by name
// or by Practitioner ID; the portal's panels belong to practitioners. Decisions:
// - A value equal to an active panel's number (any case) is that panel.
// - Otherwise a Practitioner ID (5–9 digits) or a name names one practitioner: names compare
//   without case, periods, a "Dr" title or extra spaces, and "Lee, Ada" is "Ada Lee".
// - That practitioner's panel is their one active CPAR-enabled panel.
// Anything else — no match, two practitioners, two panels — is a problem on that row, never a
// guess: the user writes the Practitioner ID or the panel number instead.

export type DirectoryPanel = {
  key: string; name: string; panelNumber: string | null; cparEnabled: boolean;
  /** the username of its failure recipient when that user is enabled */
  failureRecipient: string | null;
  /** its practitioners' keys, oldest first */
  practitioners: string[];
};
export type DirectoryPractitioner = { key: string; name: string; practitionerId: string | null };

/** A provider's panel, and the practitioner a last visit in that row was with. */
export type ProviderMatch = { ok: true; panel: DirectoryPanel; practitioner: string } | { ok: false; message: string };

export function nameKey(name: string): string {
  const words = name.toLowerCase().replace(/\./g, ' ').trim();
  const [last, first] = words.split(',').map((part) => part.trim());
  const ordered = first !== undefined ? `${first} ${last}` : words;
  return ordered.replace(/^dr\s+/, '').replace(/\s+/g, ' ').trim();
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export class Providers {
  private readonly cache = new Map<string, ProviderMatch>();
  constructor(private readonly panels: DirectoryPanel[], private readonly practitioners: DirectoryPractitioner[]) {}

  match(value: string): ProviderMatch {
    let found = this.cache.get(value);
    if (!found) {
      found = this.find(value);
      this.cache.set(value, found);
    }
    return found;
  }

  private find(value: string): ProviderMatch {
    const byNumber = this.panels.find((p) => p.panelNumber !== null && p.panelNumber.toLowerCase() === value.toLowerCase());
    if (byNumber) {
      if (byNumber.practitioners.length === 0) return { ok: false, message: 'this panel has no practitioner' };
      return { ok: true, panel: byNumber, practitioner: byNumber.practitioners[0] };
    }
    const byId = /^\d{5,9}$/.test(value);
    const wanted = nameKey(value);
    const matched = this.practitioners.filter((p) => (byId ? p.practitionerId === value : nameKey(p.name) === wanted));
    if (matched.length === 0) return { ok: false, message: 'no panel number, Practitioner ID or practitioner name in the portal matches this provider' };
    if (matched.length > 1) return { ok: false, message: `${matched.length} practitioners match this provider: write the Practitioner ID or the panel number instead` };
    const practitioner = matched[0].key;
    const panels = this.panels.filter((p) => p.cparEnabled && p.practitioners.includes(practitioner));
    if (panels.length !== 1) {
      return { ok: false, message: `this practitioner is on ${plural(panels.length, 'active CPAR panel', 'active CPAR panels')}: write the panel number instead` };
    }
    return { ok: true, panel: panels[0], practitioner };
  }
}
