import type { LogoExtension } from '@catlist/contracts';

/** The first bytes of each format catlist takes for a logo (their specifications' signatures). */
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

/**
 * The logo format of `bytes`, by their signature (a PNG, JPEG or WebP file), whatever the upload
 * said it was; null for anything else.
 */
export function imageFormat(bytes: Uint8Array): LogoExtension | null {
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpg';
  // RIFF, the chunk's size (4 bytes), then the form type WEBP.
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'webp';
  return null;
}

/**
 * Whether `bytes` look like an SVG document (markup with an <svg> element near its start), so the
 * refusal can say why SVG in particular is not taken rather than only "not an image".
 */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
  return /^\uFEFF?\s*</.test(head) && /<svg[\s>/]/i.test(head);
}
