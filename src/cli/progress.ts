/** A one-line progress bar on stderr, redrawn in place. */
export interface ProgressBar {
  update(step: number, of: number, msPerStep: number): void;
  note(line: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    update(step, of, msPerStep) {
      const filled = Math.round((step / of) * width);
      const eta = ((of - step) * msPerStep) / 1000;
      clear();
      stream.write(
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${step}/${of}  ${msPerStep.toFixed(0)} ms/step  ~${eta.toFixed(1)} s left`,
      );
      drawn = true;
    },
    note(line) {
      clear();
      stream.write(`${line}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
