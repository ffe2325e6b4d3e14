// Movie posters: an admin's upload is accepted only as PNG, JPEG or WebP, recognised by the
// file's own first bytes (never by a name or a declared type, which anyone can fake) and at most
// MAX_POSTER_BYTES; SVG uploads are refused because an SVG can carry script. A movie without an
// upload gets a generated SVG poster (posterSvg) built from its title and genres, every piece of
// text escaped.

import { fnv1a } from "../hash.ts";

export const MAX_POSTER_BYTES = 300 * 1024;

export type PosterType = "image/png" | "image/jpeg" | "image/webp";

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);

/** The image type named by the file's magic bytes, or null for anything else. */
export function imageTypeOf(bytes: Uint8Array): PosterType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

export type PosterRejection =
  | { code: "POSTER_EMPTY"; message: string }
  | { code: "POSTER_TOO_LARGE"; message: string; data: { bytes: number; max: number } }
  | { code: "POSTER_TYPE"; message: string };

export function checkPoster(bytes: Uint8Array): { ok: true; type: PosterType } | { ok: false; rejection: PosterRejection } {
  if (bytes.length === 0) return { ok: false, rejection: { code: "POSTER_EMPTY", message: "The poster is empty: send the image's bytes, base64-encoded" } };
  if (bytes.length > MAX_POSTER_BYTES) {
    return { ok: false, rejection: { code: "POSTER_TOO_LARGE", message: `The poster is ${Math.ceil(bytes.length / 1024)} KB; the limit is ${MAX_POSTER_BYTES / 1024} KB`, data: { bytes: bytes.length, max: MAX_POSTER_BYTES } } };
  }
  const type = imageTypeOf(bytes);
  if (!type) return { ok: false, rejection: { code: "POSTER_TYPE", message: "The poster must be a PNG, JPEG or WebP image" } };
  return { ok: true, type };
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/** Words of the title in lines of at most `width` characters, at most 4 lines. */
function wrap(title: string, width = 12): string[] {
  const lines: string[] = [];
  for (const word of title.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && (last + " " + word).length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length > 4) return [...lines.slice(0, 3), `${lines.slice(3).join(" ").slice(0, width - 1)}…`];
  return lines;
}

/** A 2:3 poster: a gradient in the title's colours, a sun or moon, the title and the genres. */
export function posterSvg(movie: { title: string; genres: string[]; rating?: string }): string {
  // The same title always gets the same colours.
  const h = fnv1a(movie.title);
  const hue = h % 360;
  const hue2 = (hue + 40 + ((h >> 9) % 80)) % 360;
  const orb = 20 + ((h >> 4) % 60);
  const lines = wrap(movie.title);
  const size = lines.some((l) => l.length > 9) ? 26 : 32;
  const top = 190 - (lines.length - 1) * (size * 0.6);
  const text = lines.map((l, i) => `<text x="100" y="${Math.round(top + i * size * 1.15)}" font-size="${size}">${escapeXml(l)}</text>`).join("");
  const genres = escapeXml(movie.genres.slice(0, 2).join(" · ").toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300" width="200" height="300" role="img" aria-label="${escapeXml(movie.title)}">`
    + `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue} 55% 22%)"/><stop offset="1" stop-color="hsl(${hue2} 60% 45%)"/></linearGradient></defs>`
    + `<rect width="200" height="300" fill="url(#g)"/>`
    + `<circle cx="${40 + orb * 2}" cy="80" r="${24 + (h % 18)}" fill="hsl(${(hue + 180) % 360} 80% 75%)" opacity="0.85"/>`
    + `<path d="M0 250 Q50 ${215 + (h % 25)} 100 240 T200 235 V300 H0 Z" fill="hsl(${hue} 40% 12%)" opacity="0.7"/>`
    + `<g fill="#fff" font-family="Georgia, 'Times New Roman', serif" font-weight="700" text-anchor="middle">${text}</g>`
    + `<text x="100" y="282" fill="#fff" opacity="0.85" font-family="system-ui, sans-serif" font-size="10" letter-spacing="1.5" text-anchor="middle">${genres}</text>`
    + (movie.rating ? `<text x="186" y="20" fill="#fff" font-family="system-ui, sans-serif" font-size="11" font-weight="700" text-anchor="end">${escapeXml(movie.rating)}</text>` : "")
    + `</svg>`;
}
