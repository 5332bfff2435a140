import type { Translate } from '@catlist/contracts';
import { useTexts } from '../../lib/texts';

/** "1,234 people have signed up.", "1.234 Personen …": the number and the plural in `lang`. */
export function formatSubscriberCount(count: number, t: Translate, lang: string): string {
  if (count === 0) return t('countZero');
  const plural = new Intl.PluralRules(lang).select(count);
  return t(plural === 'one' ? 'countOne' : 'countOther', {
    count: new Intl.NumberFormat(lang).format(count),
  });
}

/** The count line under the card; empty (but keeping its height) until the count arrives. */
export function SubscriberCount({ count }: { count: number | null }) {
  const { t, lang } = useTexts();
  return (
    <p className="subscriber-count" data-testid="subscriber-count">
      {count === null ? null : formatSubscriberCount(count, t, lang)}
    </p>
  );
}
