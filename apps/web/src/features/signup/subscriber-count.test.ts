import { translator } from '@catlist/contracts';
import { catalogFor } from '@catlist/contracts/texts';
import { describe, expect, it } from 'vitest';
import { formatSubscriberCount } from './subscriber-count';

const say = (lang: string, count: number) =>
  formatSubscriberCount(count, translator(catalogFor(lang, false)), lang);

describe('formatSubscriberCount', () => {
  it("writes the number and its plural in the page's language", () => {
    expect(say('en', 0)).toBe('Nobody has signed up yet. Be the first!');
    expect(say('en', 1)).toBe('1 person has signed up.');
    expect(say('en', 1234)).toBe('1,234 people have signed up.');
    expect(say('de', 1)).toBe('1 Person hat sich angemeldet.');
    expect(say('de', 1234)).toBe('1.234 Personen haben sich angemeldet.');
    expect(say('es', 2)).toBe('2 personas se han suscrito.');
    // French counts 0 and 1 as singular; zero has its own sentence anyway.
    expect(say('fr', 1)).toBe('1 personne s’est inscrite.');
    expect(say('fr', 1500)).toMatch(/^1\s500 personnes se sont inscrites\.$/);
  });
});
