/**
 * Test-only: an engine loader whose WebGPU sessions lose their device just
 * before network call number `atCall` (1-based, counted over every WebGPU
 * session it made). In a browser the real GPUDevice is destroyed, so
 * onnxruntime fails as on a device reset; where the engine has no device
 * (Node's stand-in), the call throws instead.
 */
import type { EngineLoader, OrtEngine, OrtSession } from '../../src/runtime/ort.ts';

async function loseDevice(engine: OrtEngine): Promise<void> {
  const webgpu = engine.ort.env.webgpu as { device?: unknown } | undefined;
  let device: { destroy?: () => void } | undefined;
  try {
    device = (await webgpu?.device) as typeof device;
  } catch {
    device = undefined;
  }
  if (typeof device?.destroy !== 'function') throw new Error('injected WebGPU device loss (test hook)');
  device.destroy();
}

export function loseWebGpuAtCall(loader: EngineLoader, atCall: number): EngineLoader {
  let calls = 0;
  return async (backend) => {
    const engine = await loader(backend);
    if (backend !== 'webgpu') return engine;
    const wrap = (session: OrtSession): OrtSession =>
      new Proxy(session, {
        get(target, prop) {
          if (prop === 'run') {
            return async (...args: Parameters<OrtSession['run']>) => {
              calls += 1;
              if (calls === atCall) await loseDevice(engine);
              return target.run(...args);
            };
          }
          const v: unknown = Reflect.get(target, prop, target);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    const InferenceSession = {
      create: async (...args: Parameters<typeof engine.ort.InferenceSession.create>) =>
        wrap(await engine.ort.InferenceSession.create(...args)),
    } as unknown as typeof engine.ort.InferenceSession;
    return { ...engine, ort: { ...engine.ort, InferenceSession } };
  };
}
