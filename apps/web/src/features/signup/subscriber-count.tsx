const NUMBER = new Intl.NumberFormat('en');

/** "1,234 people have signed up." */
export function formatSubscriberCount(count: number): string {
  if (count === 0) return 'Nobody has signed up yet. Be the first!';
  if (count === 1) return '1 person has signed up.';
  return `${NUMBER.format(count)} people have signed up.`;
}

/** The count line under the card; empty (but keeping its height) until the count arrives. */
export function SubscriberCount({ count }: { count: number | null }) {
  return (
    <p className="subscriber-count" data-testid="subscriber-count">
      {count === null ? null : formatSubscriberCount(count)}
    </p>
  );
}
