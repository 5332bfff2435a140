import { Fragment } from 'react';

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
