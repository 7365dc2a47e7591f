/** The image source of the explorer: shipped samples as a radio group, or a file from the device. */
import { h, nextId } from '../../dom.ts';

export interface Sample {
  file: string;
  label: number;
  /** The sample's class title, e.g. "Trouser". */
  name: string;
}

export interface SamplePicker {
  picker: HTMLElement;
  /** "From device…" and its hidden file input. */
  buttons: HTMLElement[];
  /** Fetches the sample list (once), then picks sample `file` (or the first). */
  pick(file: string): Promise<void>;
}

export function createSamplePicker(on: {
  sample: (s: Sample, blob: Blob) => void;
  file: (blob: Blob) => void;
}): SamplePicker {
  let samples: Sample[] = [];
  const picker = h('div', { class: 'samples', role: 'radiogroup', 'aria-label': 'Sample image' });
  const fileInput = h('input', {
    id: nextId('file'),
    type: 'file',
    accept: 'image/*',
    hidden: true,
    tabindex: -1,
    'aria-label': 'Image from this device',
    onchange: () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      markChecked(null);
      on.file(f);
      fileInput.value = '';
    },
  });
  const fromDevice = h(
    'button',
    { type: 'button', class: 'button', onclick: () => fileInput.click() },
    'From device…',
  );

  function markChecked(file: string | null): void {
    for (const b of picker.querySelectorAll<HTMLButtonElement>('.sample')) {
      const checked = b.dataset.file === file;
      b.setAttribute('aria-checked', String(checked));
      b.tabIndex = checked || (file === null && b === picker.firstElementChild) ? 0 : -1;
    }
  }

  async function pickSample(s: Sample): Promise<void> {
    markChecked(s.file);
    const blob = await (await fetch(new URL(`samples/${s.file}`, document.baseURI))).blob();
    on.sample(s, blob);
  }

  picker.addEventListener('keydown', (e) => {
    const buttons = [...picker.querySelectorAll<HTMLButtonElement>('.sample')];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const d =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? -1
          : 0;
    if (i < 0 || !d) return;
    e.preventDefault();
    const next = buttons[(i + d + buttons.length) % buttons.length];
    next?.focus();
    next?.click();
  });

  async function list(): Promise<void> {
    const res = await fetch(new URL('samples/index.json', document.baseURI));
    samples = ((await res.json()) as { samples: Sample[] }).samples;
    picker.replaceChildren(
      ...samples.map((s) =>
        h(
          'button',
          {
            type: 'button',
            class: 'sample',
            role: 'radio',
            'aria-checked': 'false',
            'aria-label': s.name,
            title: s.name,
            dataset: { file: s.file },
            onclick: () => void pickSample(s),
          },
          h('img', {
            src: `samples/${s.file}`,
            alt: '',
            width: 28,
            height: 28,
            class: 'pixelated',
          }),
        ),
      ),
    );
  }

  async function pick(file: string): Promise<void> {
    if (samples.length === 0) await list();
    const wanted = samples.find((s) => s.file === file) ?? samples[0];
    if (wanted) await pickSample(wanted);
  }

  return { picker, buttons: [fromDevice, fileInput], pick };
}
