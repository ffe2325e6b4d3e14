// Posters: uploads are recognised by their bytes and bounded in size; generated posters are
// well-formed and never let a title inject markup.
import test from "ava";
import { checkPoster, imageTypeOf, MAX_POSTER_BYTES, posterSvg } from "../../../domain/catalog/poster.ts";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50]);

test("PNG, JPEG and WebP are recognised by their first bytes", (t) => {
  t.is(imageTypeOf(PNG), "image/png");
  t.is(imageTypeOf(JPEG), "image/jpeg");
  t.is(imageTypeOf(WEBP), "image/webp");
});

test("an SVG, HTML or a file that only claims to be an image is refused", (t) => {
  const svg = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`);
  const html = new TextEncoder().encode("<html><script>alert(1)</script>");
  const riffNotWebp = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x41, 0x56, 0x49, 0x20]);
  for (const bytes of [svg, html, riffNotWebp]) t.like(checkPoster(bytes), { ok: false, rejection: { code: "POSTER_TYPE" } });
});

test("a poster over the size limit or with no bytes is refused, one at the limit is accepted", (t) => {
  const big = new Uint8Array(MAX_POSTER_BYTES + 1);
  big.set(PNG);
  t.like(checkPoster(big), { ok: false, rejection: { code: "POSTER_TOO_LARGE", data: { bytes: MAX_POSTER_BYTES + 1, max: MAX_POSTER_BYTES } } });
  t.like(checkPoster(new Uint8Array(0)), { ok: false, rejection: { code: "POSTER_EMPTY" } });
  t.deepEqual(checkPoster(big.subarray(0, MAX_POSTER_BYTES)), { ok: true, type: "image/png" });
});

test("a generated poster is the same for the same film, escapes the title and carries no script", (t) => {
  const movie = { title: `Tom & Jerry's "<script>alert(1)</script>" Night`, genres: ["Comedy", "Family"], rating: "U" };
  const svg = posterSvg(movie);
  t.is(svg, posterSvg(movie));
  t.false(svg.includes("<script"));
  t.true(svg.includes("Tom &amp;"));
  t.true(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  t.not(posterSvg({ title: "Rocket Chai", genres: [] }), posterSvg({ title: "Circuit Breaker", genres: [] }));
});
