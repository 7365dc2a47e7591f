/** Small canvas plots for the explorer: a histogram against N(0, 1), and the schedule curves. */

function colors(): { fg: string; muted: string; accent: string; accent2: string; grid: string } {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#222'),
    muted: v('--muted', '#777'),
    accent: v('--accent', '#6b4dff'),
    accent2: v('--accent-2', '#e0752d'),
    grid: v('--line', '#ccc'),
  };
}

/** Sizes the canvas backing store to its CSS box × devicePixelRatio and returns a context in CSS px. */
function prepare(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | undefined {
  const rect = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(rect.width));
  const h = Math.max(1, Math.round(rect.height));
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  return { ctx, w, h };
}

export interface Moments {
  mean: number;
  std: number;
}

export function moments(values: Float32Array): Moments {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(sq / Math.max(1, values.length - 1)) };
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / SQRT_2PI;

/** Density histogram of `values` over [-4, 4] with the standard normal density drawn over it. */
export function drawHistogram(canvas: HTMLCanvasElement, values: Float32Array): void {
  const p = prepare(canvas);
  if (!p) return;
  const { ctx, w, h } = p;
  const c = colors();
  const lo = -4;
  const hi = 4;
  const bins = 48;
  const width = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  for (const v of values) {
    const b = Math.floor((v - lo) / width);
    if (b >= 0 && b < bins) counts[b] = (counts[b] ?? 0) + 1;
  }
  const pad = { l: 8, r: 8, t: 8, b: 18 };
  const yMax = 0.8;
  const X = (x: number) => pad.l + ((x - lo) / (hi - lo)) * (w - pad.l - pad.r);
  const Y = (d: number) => h - pad.b - (Math.min(d, yMax) / yMax) * (h - pad.t - pad.b);
  ctx.fillStyle = c.accent;
  ctx.globalAlpha = 0.55;
  counts.forEach((n, i) => {
    const d = n / (values.length * width);
    const x0 = X(lo + i * width);
    const x1 = X(lo + (i + 1) * width);
    ctx.fillRect(x0, Y(d), Math.max(1, x1 - x0 - 1), h - pad.b - Y(d));
  });
  ctx.globalAlpha = 1;
  ctx.strokeStyle = c.accent2;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (let i = 0; i <= 200; i++) {
    const x = lo + ((hi - lo) * i) / 200;
    if (i === 0) ctx.moveTo(X(x), Y(normalPdf(x)));
    else ctx.lineTo(X(x), Y(normalPdf(x)));
  }
  ctx.stroke();
  ctx.strokeStyle = c.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.l, h - pad.b + 0.5);
  ctx.lineTo(w - pad.r, h - pad.b + 0.5);
  ctx.stroke();
  ctx.fillStyle = c.muted;
  ctx.textAlign = 'center';
  for (const x of [-4, -2, -1, 0, 1, 2, 4]) ctx.fillText(String(x), X(x), h - 4);
}

/** ᾱ_t (left axis, 0..1) and log10 SNR (right axis) over t, with a marker at `t`. */
export function drawSchedule(canvas: HTMLCanvasElement, alphaBar: ArrayLike<number>, snr: ArrayLike<number>, t: number): void {
  const p = prepare(canvas);
  if (!p) return;
  const { ctx, w, h } = p;
  const c = colors();
  const T = alphaBar.length;
  const pad = { l: 28, r: 34, t: 10, b: 18 };
  const X = (i: number) => pad.l + (i / Math.max(1, T - 1)) * (w - pad.l - pad.r);
  const Ya = (a: number) => h - pad.b - a * (h - pad.t - pad.b);
  let lmin = Infinity;
  let lmax = -Infinity;
  for (let i = 0; i < T; i++) {
    const l = Math.log10(Math.max(1e-12, snr[i] ?? 0));
    lmin = Math.min(lmin, l);
    lmax = Math.max(lmax, l);
  }
  lmin = Math.floor(lmin);
  lmax = Math.ceil(lmax);
  const Ys = (s: number) => h - pad.b - ((Math.log10(Math.max(1e-12, s)) - lmin) / Math.max(1e-9, lmax - lmin)) * (h - pad.t - pad.b);

  ctx.strokeStyle = c.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, w - pad.l - pad.r, h - pad.t - pad.b);
  const curve = (f: (i: number) => number, color: string) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < T; i++) {
      if (i === 0) ctx.moveTo(X(i), f(i));
      else ctx.lineTo(X(i), f(i));
    }
    ctx.stroke();
  };
  curve((i) => Ya(alphaBar[i] ?? 0), c.accent);
  ctx.setLineDash([5, 4]);
  curve((i) => Ys(snr[i] ?? 0), c.accent2);
  ctx.setLineDash([]);

  ctx.strokeStyle = c.fg;
  ctx.lineWidth = 1;
  const tx = X(Math.max(0, t - 1));
  ctx.beginPath();
  ctx.moveTo(tx, pad.t);
  ctx.lineTo(tx, h - pad.b);
  ctx.stroke();

  ctx.fillStyle = c.muted;
  ctx.textAlign = 'right';
  ctx.fillText('1', pad.l - 4, Ya(1) + 4);
  ctx.fillText('0', pad.l - 4, Ya(0));
  ctx.textAlign = 'left';
  ctx.fillText(`1e${lmax}`, w - pad.r + 3, pad.t + 8);
  ctx.fillText(`1e${lmin}`, w - pad.r + 3, h - pad.b);
  ctx.textAlign = 'center';
  ctx.fillText('t', (pad.l + w - pad.r) / 2, h - 4);
  ctx.textAlign = 'left';
  ctx.fillText('0', pad.l, h - 4);
  ctx.textAlign = 'right';
  ctx.fillText(String(T), w - pad.r, h - 4);
}
