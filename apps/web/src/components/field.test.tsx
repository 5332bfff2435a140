import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ComponentProps, useRef, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Field } from './field';

type Props = Omit<ComponentProps<typeof Field>, 'ref' | 'value' | 'onChange'>;

/** A controlled Field, as the forms use it. */
function Harness(props: Props) {
  const ref = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  return (
    <Field ref={ref} value={value} onChange={(event) => setValue(event.target.value)} {...props} />
  );
}

const base = { label: 'Email', name: 'email', type: 'email', error: null } satisfies Props;

describe('Field', () => {
  it('labels the input, passes its own props on and shows the action beside it', async () => {
    const user = userEvent.setup();
    render(<Harness {...base} autoComplete="email" action={<button type="submit">Go</button>} />);
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAttribute('type', 'email');
    expect(input).toHaveAttribute('name', 'email');
    expect(input).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByRole('button', { name: 'Go' })).toBeInTheDocument();
    await user.type(input, 'cat@example.com');
    expect(input).toHaveValue('cat@example.com');
  });

  it('without an error, is valid, has no description and keeps an empty live region ready', () => {
    const { container } = render(<Harness {...base} />);
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAttribute('aria-invalid', 'false');
    expect(input).not.toHaveAttribute('aria-describedby');
    const region = container.querySelector('[aria-live="polite"]');
    expect(region).toBeInTheDocument();
    expect(region).toBeEmptyDOMElement();
  });

  it('announces an error in the live region that was already there and ties it to the input', () => {
    const { container, rerender } = render(<Harness {...base} />);
    const region = container.querySelector('[aria-live="polite"]');
    rerender(<Harness {...base} error="Please enter your email address." />);
    const input = screen.getByLabelText('Email');
    expect(region).toHaveTextContent('Please enter your email address.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Please enter your email address.');
  });

  it('takes focus when shown only if asked to', () => {
    const { unmount } = render(<Harness {...base} />);
    expect(screen.getByLabelText('Email')).not.toHaveFocus();
    unmount();
    render(<Harness {...base} autoFocus />);
    expect(screen.getByLabelText('Email')).toHaveFocus();
  });

  it('gives the form its input through the ref, e.g. to focus it again after an error', async () => {
    const user = userEvent.setup();
    function Form() {
      const ref = useRef<HTMLInputElement>(null);
      return (
        <>
          <Field ref={ref} {...base} />
          <button type="button" onClick={() => ref.current?.focus()}>
            Focus
          </button>
        </>
      );
    }
    render(<Form />);
    await user.click(screen.getByRole('button', { name: 'Focus' }));
    expect(screen.getByLabelText('Email')).toHaveFocus();
  });
});
