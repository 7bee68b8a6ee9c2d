// Images -> the model's input: Float32Array [count, height, width, channels] in [0, 1], by the
// core's one image rule (core/anomaly/data/images.h, the same as the `ca3` command line's): EXIF
// orientation applied, alpha composited over black, centre-cropped to the model's aspect ratio,
// then resized (area average when shrinking, bilinear when enlarging), grey as
// 0.299 R + 0.587 G + 0.114 B. The work runs in the SDK's worker.
//
// In browsers, files / blobs are decoded there by the browser (createImageBitmap: PNG, JPEG,
// GIF, BMP, WebP...); an image of more than 100 megapixels is refused by its size, read from its
// header, before decoding, and one with a side over 4096 pixels is decoded at a reduced size.
// Anywhere (Node too), ImageData-like objects {width, height, data: RGBA bytes} are converted.
//
//   const { inputs, grey } = await imagesFromFiles(fileList, { width: 28, height: 28, channels: 1 });
//   const scores = await detector.score(imageSet(inputs));

export interface ImageSize {
  width: number;
  height: number;
  channels: number;  // 1 (grey) or 3 (RGB)
}

/** Anything with RGBA bytes: a browser ImageData or a plain object. */
export interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Images turned into model inputs. */
export interface ImageInputs {
  /** [count, height, width, channels] in [0, 1]. */
  inputs: Float32Array;
  /** Per image: every pixel grey (r = g = b), so a grey model loses nothing. */
  grey: boolean[];
  /** Per image: its size as decoded (after EXIF orientation and any reduction). */
  sizes: { width: number; height: number }[];
  /** Per image: the frames of an animated GIF, of which the first is read (1 for other images). */
  frames: number[];
}

/** The model's image size from its input shape [height, width, channels]. */
export function imageSizeOf(inputShape: number[]): ImageSize {
  if (inputShape.length !== 3) throw new Error(`not an image model: input shape [${inputShape.join(', ')}]`);
  return { height: inputShape[0], width: inputShape[1], channels: inputShape[2] };
}

export function checkImageSize(size: ImageSize) {
  if (!(size.width >= 1 && size.height >= 1) || (size.channels !== 1 && size.channels !== 3))
    throw new Error(`unsupported image size ${size.width}x${size.height}x${size.channels} (channels must be 1 or 3)`);
}

/** The kind of image a file's first bytes (16 or more) say it is, whatever its name: the kinds a
 *  browser decodes and `ca3` reads (WebP in browsers only); '' for any other file. */
export type ImageKind = 'PNG' | 'JPEG' | 'GIF' | 'BMP' | 'WebP' | '';
export function imageKind(head: Uint8Array): ImageKind {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (starts(0x47, 0x49, 0x46, 0x38) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return 'GIF';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...head.subarray(8, 12)) === 'WEBP') return 'WebP';
  // A BMP: "BM", reserved bytes 6 to 9 zero, a known header size at 14 (a table "BMI;..." is none),
  // as `ca3` tells it (core/anomaly/data/images.cpp, image_kind).
  if (starts(0x42, 0x4d) && head.length >= 15 && head.subarray(6, 10).every((b) => b === 0) &&
      [12, 40, 52, 56, 108, 124].includes(head[14])) return 'BMP';
  return '';
}

/** The kind of image browsers do not decode that a file's first bytes say it is (TIFF, HEIC, as
 *  cameras and scanners write them; Netpbm, Photoshop), as `ca3` tells it; '' for others. */
export function undecodedImageKind(head: Uint8Array): string {
  const ascii = (i: number, n: number) => String.fromCharCode(...head.subarray(i, i + n));
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'TIFF';
  if (ascii(4, 4) === 'ftyp' && ['heic', 'heix', 'mif1'].includes(ascii(8, 4))) return 'HEIC';
  if (/^P[1-7]\s+(#[^\n]*\n\s*)*\d/.test(ascii(0, 64))) return 'Netpbm';
  if (ascii(0, 4) === '8BPS') return 'Photoshop';
  return '';
}

/** Width and height from an image file's first bytes (PNG, JPEG, GIF, BMP, WebP: imageKind), before
 *  any decoding; undefined when the format is not one of them or the bytes end before they say. */
export function imageDimensions(head: Uint8Array): { width: number; height: number } | undefined {
  const kind = imageKind(head);
  const u16be = (i: number) => (head[i] << 8) | head[i + 1];
  const u16le = (i: number) => head[i] | (head[i + 1] << 8);
  const u32be = (i: number) => ((head[i] << 24) >>> 0) + (head[i + 1] << 16) + (head[i + 2] << 8) + head[i + 3];
  const u32le = (i: number) => head[i] + (head[i + 1] << 8) + (head[i + 2] << 16) + ((head[i + 3] << 24) >>> 0);
  const ascii = (i: number, n: number) => String.fromCharCode(...head.subarray(i, i + n));
  if (kind === 'PNG' && head.length >= 24) return { width: u32be(16), height: u32be(20) };
  if (kind === 'GIF' && head.length >= 10) return { width: u16le(6), height: u16le(8) };
  if (kind === 'BMP' && head.length >= 26) return { width: Math.abs(u32le(18) | 0), height: Math.abs(u32le(22) | 0) };
  if (kind === 'WebP' && head.length >= 30) {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8X') return { width: 1 + (head[24] | (head[25] << 8) | (head[26] << 16)), height: 1 + (head[27] | (head[28] << 8) | (head[29] << 16)) };
    if (chunk === 'VP8L') {
      const b = u32le(21);
      return { width: 1 + (b & 0x3fff), height: 1 + ((b >> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
  }
  if (kind === 'JPEG') {
    let at = 2;
    while (at + 9 < head.length && head[at] === 0xff) {
      const marker = head[at + 1];
      const length = u16be(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { height: u16be(at + 5), width: u16be(at + 7) };
      at += 2 + length;
    }
  }
  return undefined;
}
