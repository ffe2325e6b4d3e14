// The QR code the ticket page shows is one the door page's decoder reads: qrcode (server) and
// jsqr (browser) agree, and what jsqr reads back verifies as the ticket.
import test from "ava";
import jsqrModule from "jsqr";
import QRCode from "qrcode";
import { signTicket, verifyTicket } from "../../domain/ticket/ticket.ts";

// jsqr is CommonJS: at run time its default import is the decoder function itself.
const jsQR = jsqrModule as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const KEY = "door-key-0123456789abcdef0123456789abcdef";

test("jsqr reads back a signed ticket payload encoded as the ticket page's QR code", (t) => {
  const payload = signTicket({ bookingId: "bkg_4f1c2e9a0b7d4c3e8f6a5b4c3d2e1f00", showId: "show-mlc-audi-1-20261203-1730", seats: ["D5", "D6"] }, KEY);
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: "M" });
  // Draw it as a camera frame would see it: 4 pixels a module and a quiet zone of 4 modules.
  const scale = 4;
  const quiet = 4;
  const side = (modules.size + 2 * quiet) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (!modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = (((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx) * 4;
          pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
        }
      }
    }
  }
  const read = jsQR(pixels, side, side);
  t.is(read?.data, payload);
  t.true(verifyTicket(read!.data, KEY, "show-mlc-audi-1-20261203-1730").ok);
});
