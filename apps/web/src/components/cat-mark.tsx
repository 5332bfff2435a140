/** The cat face beside the title; decorative. */
export function CatMark() {
  return (
    <svg className="cat-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path className="cat-mark-face" d="M10 8l14 14h16L54 8v30c0 12-10 20-22 20S10 50 10 38z" />
      <circle className="cat-mark-eye" cx="24" cy="36" r="4" />
      <circle className="cat-mark-eye" cx="40" cy="36" r="4" />
      <path className="cat-mark-eye" d="M28 46h8l-4 4z" />
    </svg>
  );
}
