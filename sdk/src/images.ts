// Images -> the model's input: Float32Array [count, height, width, channels] in [0, 1].
//
// In browsers, files / blobs / ImageBitmaps are decoded by the browser and resized on an
// (Offscreen)Canvas. Anywhere (Node too), ImageData-like objects {width, height, data: RGBA
// bytes} are resized here (area average when shrinking, bilinear when enlarging). One channel
// means grey: 0.299 R + 0.587 G + 0.114 B.
//
//   const input = await imagesFromFiles(fileList, { width: 28, height: 28, channels: 1 });
//   const scores = await detector.score(imageSet(input));

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

/** The model's image size from its input shape [height, width, channels]. */
export function imageSizeOf(inputShape: number[]): ImageSize {
  if (inputShape.length !== 3) throw new Error(`not an image model: input shape [${inputShape.join(', ')}]`);
  return { height: inputShape[0], width: inputShape[1], channels: inputShape[2] };
}

function checkSize(size: ImageSize) {
  if (!(size.width >= 1 && size.height >= 1) || (size.channels !== 1 && size.channels !== 3))
    throw new Error(`unsupported image size ${size.width}x${size.height}x${size.channels} (channels must be 1 or 3)`);
}

/** Resizes RGBA pixels to `size` and converts to the model's channels, into `out` at `offset`. */
export function imageDataToTensor(image: ImageDataLike, size: ImageSize, out?: Float32Array, offset = 0): Float32Array {
  checkSize(size);
  const { width: w, height: h, data } = image;
  if (!(w >= 1 && h >= 1) || data.length !== w * h * 4)
    throw new Error(`image data of ${data.length} bytes does not hold ${w}x${h} RGBA pixels`);
  const { width: W, height: H, channels: C } = size;
  const target = out ?? new Float32Array(W * H * C);
  const sx = w / W, sy = h / H;
  const value = (x: number, y: number, c: number) => data[(y * w + x) * 4 + c];
  for (let Y = 0; Y < H; ++Y) {
    for (let X = 0; X < W; ++X) {
      const rgb = [0, 0, 0];
      if (sx >= 1 && sy >= 1) {
        // Area average over the source pixels this target pixel covers (fractional edges weighted).
        const x0 = X * sx, x1 = x0 + sx, y0 = Y * sy, y1 = y0 + sy;
        let weight = 0;
        for (let y = Math.floor(y0); y < Math.ceil(y1); ++y) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.ceil(x1); ++x) {
            const wx = Math.min(x + 1, x1) - Math.max(x, x0);
            const k = wx * wy;
            for (let c = 0; c < 3; ++c) rgb[c] += k * value(x, y, c);
            weight += k;
          }
        }
        for (let c = 0; c < 3; ++c) rgb[c] /= weight;
      } else {
        // Bilinear, pixel centres aligned.
        const fx = Math.min(Math.max((X + 0.5) * sx - 0.5, 0), w - 1);
        const fy = Math.min(Math.max((Y + 0.5) * sy - 0.5, 0), h - 1);
        const xa = Math.floor(fx), ya = Math.floor(fy);
        const xb = Math.min(xa + 1, w - 1), yb = Math.min(ya + 1, h - 1);
        const tx = fx - xa, ty = fy - ya;
        for (let c = 0; c < 3; ++c)
          rgb[c] =
            (1 - ty) * ((1 - tx) * value(xa, ya, c) + tx * value(xb, ya, c)) +
            ty * ((1 - tx) * value(xa, yb, c) + tx * value(xb, yb, c));
      }
      const at = offset + (Y * W + X) * C;
      if (C === 1) target[at] = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
      else for (let c = 0; c < 3; ++c) target[at + c] = rgb[c] / 255;
    }
  }
  return target;
}

/** Several ImageData-like images -> one Float32Array [count, H, W, C]. */
export function imagesToTensor(images: ImageDataLike[], size: ImageSize): Float32Array {
  const per = size.width * size.height * size.channels;
  const out = new Float32Array(images.length * per);
  images.forEach((image, i) => imageDataToTensor(image, size, out, i * per));
  return out;
}

type Drawable = ImageBitmap | Blob;

/** Browser: decodes files / blobs (PNG, JPEG, GIF, BMP, WebP...) or takes ImageBitmaps, and
 *  resizes them to `size` on a canvas. A file the browser cannot decode is rejected naming it. */
export async function imagesFromFiles(sources: ArrayLike<Drawable>, size: ImageSize): Promise<Float32Array> {
  checkSize(size);
  const per = size.width * size.height * size.channels;
  const out = new Float32Array(sources.length * per);
  const canvas = makeCanvas(size.width, size.height);
  const context = canvas.getContext('2d', { willReadFrequently: true }) as
    | OffscreenCanvasRenderingContext2D
    | CanvasRenderingContext2D
    | null;
  if (!context) throw new Error('no 2D canvas available to decode images');
  for (let i = 0; i < sources.length; ++i) {
    const source = sources[i];
    let bitmap: ImageBitmap;
    if (typeof Blob !== 'undefined' && source instanceof Blob) {
      const name = (source as File).name ?? `image ${i + 1}`;
      try {
        bitmap = await createImageBitmap(source);
      } catch {
        throw new Error(`${name} is not an image this browser can decode`);
      }
    } else {
      bitmap = source as ImageBitmap;
    }
    context.clearRect(0, 0, size.width, size.height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    if (source !== bitmap) bitmap.close();
    const pixels = context.getImageData(0, 0, size.width, size.height);
    imageDataToTensor(pixels, size, out, i * per);
  }
  return out;
}

function makeCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  if (typeof document !== 'undefined') {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    return c;
  }
  throw new Error('decoding image files needs a browser (in Node, pass ImageData-like pixels to imagesToTensor)');
}
