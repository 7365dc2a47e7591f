/**
 * Checks an ONNX session's inputs and outputs against the manifest's `io` and
 * `image` before the first step (openSession), and builds the tensors each
 * call feeds (feedsFor). A model that does not fit fails here with a
 * message naming the tensor, not mid-run.
 */
import { labelGroups, labelRows } from '../core/conditioning.ts';
import type { ModelManifest, TimestepType } from '../core/manifest.ts';
import type { Backend } from './backends.ts';
import { messageOf, RuntimeError, shortReason } from './errors.ts';
import type { EngineLoader, Ort, OrtEngine, OrtSession, OrtTensor } from './ort.ts';

/** The subset of onnxruntime's session metadata this check reads. */
export interface ValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  /** Dimensions; strings are symbolic (dynamic). Empty when unknown (onnxruntime's convention). */
  shape?: readonly (number | string)[];
}

export interface SessionIo {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: readonly ValueInfo[];
  outputMetadata?: readonly ValueInfo[];
}

export type LabelType = 'int64' | 'int32';

export interface IoPlan {
  sample: string;
  /** One timestep per image (rank 1). */
  timestep: { name: string; type: TimestepType };
  label?: { name: string; type: LabelType };
  output: string;
  /** The batch size the model accepts, or 'dynamic'. */
  batch: number | 'dynamic';
}

function mismatch(message: string): never {
  throw new RuntimeError(
    'io-mismatch',
    `The model does not match model.json: ${message}. Fix "io"/"image" in model.json or export the model again.`,
  );
}

function find(
  list: readonly string[],
  meta: readonly ValueInfo[] | undefined,
  name: string,
  field: string,
  kind: 'input' | 'output',
): ValueInfo | undefined {
  if (!list.includes(name))
    mismatch(
      `${field} names ${kind} "${name}", but the model's ${kind}s are ${list.map((n) => `"${n}"`).join(', ')}`,
    );
  const info = meta?.find((m) => m.name === name);
  if (info && !info.isTensor) mismatch(`${kind} "${name}" is not a tensor`);
  return info;
}

function expectType(
  info: ValueInfo | undefined,
  name: string,
  valid: readonly string[],
): string | undefined {
  if (!info?.type) return undefined;
  if (!valid.includes(info.type))
    mismatch(`tensor "${name}" has element type ${info.type}, expected ${valid.join(' or ')}`);
  return info.type;
}

function expectImageShape(
  info: ValueInfo | undefined,
  name: string,
  manifest: ModelManifest,
): number | 'dynamic' {
  const shape = info?.shape;
  if (!shape || shape.length === 0) return 'dynamic';
  const { channels, height, width } = manifest.image;
  if (shape.length !== 4)
    mismatch(
      `tensor "${name}" has rank ${shape.length}, expected 4 (batch, channels, height, width)`,
    );
  const want = [channels, height, width];
  shape.slice(1).forEach((d, i) => {
    const axis = ['channels', 'height', 'width'][i]!;
    if (typeof d === 'number' && d !== want[i]) {
      mismatch(`tensor "${name}" has ${axis} ${d}, but image.${axis} is ${want[i]}`);
    }
  });
  const b = shape[0];
  return typeof b === 'number' && b > 0 ? b : 'dynamic';
}

/** Validates the session against the manifest; throws RuntimeError 'io-mismatch' naming the tensor. */
export function checkModelIo(session: SessionIo, manifest: ModelManifest): IoPlan {
  const { io } = manifest;
  const ins = session.inputNames;
  const sampleInfo = find(ins, session.inputMetadata, io.sample, 'io.sample', 'input');
  const timeInfo = find(ins, session.inputMetadata, io.timestep, 'io.timestep', 'input');
  const cond = manifest.conditioning;
  const conditional = cond.kind === 'labels' && io.label !== undefined;
  const labelInfo = conditional
    ? find(ins, session.inputMetadata, io.label!, 'io.label', 'input')
    : undefined;
  const known = [io.sample, io.timestep, ...(conditional ? [io.label!] : [])];
  const extra = ins.filter((n) => !known.includes(n));
  if (extra.length > 0) {
    mismatch(
      `the model also needs input${extra.length > 1 ? 's' : ''} ${extra.map((n) => `"${n}"`).join(', ')}, which model.json does not map (io.sample, io.timestep${conditional ? ', io.label' : ''})`,
    );
  }
  const outInfo = find(
    session.outputNames,
    session.outputMetadata,
    io.output,
    'io.output',
    'output',
  );

  expectType(sampleInfo, io.sample, ['float32']);
  expectType(outInfo, io.output, ['float32']);
  expectType(timeInfo, io.timestep, [io.timestepType]);
  const batch = expectImageShape(sampleInfo, io.sample, manifest);
  const outBatch = expectImageShape(outInfo, io.output, manifest);
  if (batch !== outBatch && batch !== 'dynamic' && outBatch !== 'dynamic')
    mismatch(`input batch ${batch} differs from output batch ${outBatch}`);
  if (batch !== 'dynamic' && batch !== 1)
    mismatch(
      `tensor "${io.sample}" has a fixed batch of ${batch}; export it with a dynamic batch axis (or batch 1)`,
    );

  const timeRank = timeInfo?.shape?.length || 1;
  if (timeRank !== 1)
    mismatch(`tensor "${io.timestep}" has rank ${timeRank}, expected 1 (one timestep per image)`);
  const plan: IoPlan = {
    sample: io.sample,
    timestep: { name: io.timestep, type: io.timestepType },
    output: io.output,
    batch,
  };
  if (conditional) {
    const type = (expectType(labelInfo, io.label!, ['int64', 'int32']) ?? 'int64') as LabelType;
    const rank = labelInfo?.shape?.length || 1;
    const groups = cond.kind === 'labels' ? cond.groups.length : 0;
    const want = cond.kind === 'labels' ? cond.tensorRank : 1;
    if (rank !== want)
      mismatch(
        `tensor "${io.label}" has rank ${rank}, expected ${want} (${want === 1 ? 'one label per image' : `${groups} labels per image, one per label group`})`,
      );
    const width = labelInfo?.shape?.[1];
    if (want === 2 && typeof width === 'number' && width !== groups)
      mismatch(
        `tensor "${io.label}" has ${width} labels per image; model.json declares ${groups} label groups`,
      );
    plan.label = { name: io.label!, type };
  }
  return plan;
}

/** An open session whose inputs and outputs match the manifest. */
export interface Live {
  engine: OrtEngine;
  session: OrtSession;
  io: IoPlan;
}

/** onnxruntime itself did not start: not the model's fault, and onnxruntime keeps it for the worker's life. */
function engineFailed(backend: Backend, e: unknown): RuntimeError {
  return new RuntimeError(
    'engine-failed',
    `onnxruntime's ${backend === 'webgpu' ? 'WebGPU' : 'WASM'} runtime could not start here (${shortReason(e)}). This is not the model: reload the page; if it persists, close other tabs to free memory, or update the browser.`,
    { cause: e },
  );
}

/** Creates a session on `backend` and checks it against the manifest; released again if it does not match. */
export async function openSession(
  opts: { loadEngine: EngineLoader; onnx: Uint8Array; manifest: ModelManifest },
  backend: Backend,
): Promise<Live> {
  let engine: OrtEngine;
  try {
    engine = await opts.loadEngine(backend);
  } catch (e) {
    throw engineFailed(backend, e);
  }
  let session: OrtSession;
  try {
    session = await engine.ort.InferenceSession.create(opts.onnx, engine.sessionOptions);
  } catch (e) {
    // The runtime's own start (its .wasm fetched and compiled, its memory) happens in the first create.
    if (/no available backend found/.test(messageOf(e))) throw engineFailed(backend, e);
    throw e;
  }
  try {
    return { engine, session, io: checkModelIo(session, opts.manifest) };
  } catch (e) {
    await session.release().catch(() => undefined);
    throw e;
  }
}

/** One network call's inputs: a batch of n images x (n·C·H·W) at timestep t, and their label rows (null: every group's null label). */
export interface CallInputs {
  x: Float32Array;
  t: number;
  labels: Int32Array | null;
  n: number;
}

/** The tensors a call feeds, typed and shaped as the session's io plan says. */
export function feedsFor(
  ort: Ort,
  io: IoPlan,
  manifest: ModelManifest,
  { x, t, labels, n }: CallInputs,
): Record<string, OrtTensor> {
  const { channels, height, width } = manifest.image;
  const feeds: Record<string, OrtTensor> = {
    [io.sample]: new ort.Tensor('float32', x, [n, channels, height, width]),
  };
  const ts = io.timestep;
  feeds[ts.name] =
    ts.type === 'int64'
      ? new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(t)), [n])
      : ts.type === 'int32'
        ? new ort.Tensor('int32', new Int32Array(n).fill(t), [n])
        : new ort.Tensor('float32', new Float32Array(n).fill(t), [n]);
  if (io.label) {
    const c = manifest.conditioning;
    // No labels on a labelled model means unconditional: every group gets its null label.
    const rows = labels ?? labelRows(c, [], n, true);
    const dims = c.kind === 'labels' && c.tensorRank === 2 ? [n, labelGroups(c).length] : [n];
    feeds[io.label.name] =
      io.label.type === 'int64'
        ? new ort.Tensor(
            'int64',
            BigInt64Array.from(rows, (l) => BigInt(l)),
            dims,
          )
        : new ort.Tensor('int32', Int32Array.from(rows), dims);
  }
  return feeds;
}
