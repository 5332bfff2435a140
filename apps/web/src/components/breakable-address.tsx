import { Fragment, type ReactNode } from 'react';

/** The address cut after each `@` and `.`: "first.last@my-domain.example" gives 4 parts. */
export function addressParts(email: string): string[] {
  return email.match(/[^@.]*(?:[@.]|$)/g)?.filter((part) => part !== '') ?? [email];
}

/**
 * An address that wraps after its `@` and dots, not at its hyphens: each part is an inline block
 * (see .address-part) with a line-break opportunity (<wbr>) between parts. A part wider than the
 * whole line still breaks inside, rather than overflow.
 */
export function BreakableAddress({ email }: { email: string }) {
  return (
    <span className="address">
      {addressParts(email).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          <span className="address-part">{part}</span>
        </Fragment>
      ))}
    </span>
  );
}

/**
 * `text` (a translated sentence) with the address where its `{email}` stands, as a
 * BreakableAddress; `address` draws it some other way, e.g. a plain `.address` span.
 */
export function withAddress(
  text: string,
  email: string,
  address: (email: string) => ReactNode = (e) => <BreakableAddress email={e} />,
): ReactNode {
  const [before, after = ''] = text.split('{email}');
  return (
    <>
      {before}
      {address(email)}
      {after}
    </>
  );
}
