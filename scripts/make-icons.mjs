// Draws the extension icon (media/icon.png, 128x128) and the .mmu file icon
// (media/mmu-file.png, 32x32) without image tools: three nested layers (L0 Hyper-V,
// L1 KVM, L2 guest) and a row of TLB cells with one stale entry in red.
// Usage: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, px) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function draw(size) {
  const px = Buffer.alloc(size * size * 4);
  const s = size / 128;
  const put = (x, y, [r, g, b, a = 255]) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + x) * 4;
    const al = a / 255;
    px[i] = Math.round(r * al + px[i] * (1 - al));
    px[i + 1] = Math.round(g * al + px[i + 1] * (1 - al));
    px[i + 2] = Math.round(b * al + px[i + 2] * (1 - al));
    px[i + 3] = Math.max(px[i + 3], a);
  };
  const roundRect = (x0, y0, w, h, rad, color) => {
    for (let y = Math.floor(y0 * s); y < Math.ceil((y0 + h) * s); y++) {
      for (let x = Math.floor(x0 * s); x < Math.ceil((x0 + w) * s); x++) {
        const cx = Math.min(Math.max(x + 0.5, (x0 + rad) * s), (x0 + w - rad) * s);
        const cy = Math.min(Math.max(y + 0.5, (y0 + rad) * s), (y0 + h - rad) * s);
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - rad * s;
        if (d < 0.5) put(x, y, [...color.slice(0, 3), Math.round((color[3] ?? 255) * Math.min(1, 0.5 - d))]);
      }
    }
  };
  roundRect(0, 0, 128, 128, 22, [24, 38, 64]);
  // Three nested layers, bottom (L0) widest.
  roundRect(14, 82, 100, 26, 6, [52, 120, 198]);
  roundRect(24, 54, 80, 24, 6, [70, 170, 150]);
  roundRect(34, 28, 60, 22, 6, [232, 176, 64]);
  // TLB cells on the guest layer; the third one is stale.
  for (let i = 0; i < 4; i++) roundRect(40 + i * 13, 33, 10, 12, 2, i === 2 ? [220, 60, 60] : [255, 244, 214]);
  return png(size, px);
}

writeFileSync(new URL('../media/icon.png', import.meta.url), draw(128));
writeFileSync(new URL('../media/mmu-file.png', import.meta.url), draw(32));
console.log('wrote media/icon.png and media/mmu-file.png');
