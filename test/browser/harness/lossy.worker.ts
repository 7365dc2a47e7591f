/**
 * The generator worker with a WebGPU engine that loses its device before the
 * second network call: the mid-run fallback test's worker, never the app's.
 */
import { webEngineLoader } from '../../../src/runtime/ort-web.ts';
import { serveGenerator } from '../../../workers/serve-generator.ts';
import { loseWebGpuAtCall } from '../../support/lose-webgpu.ts';

serveGenerator((threads) => loseWebGpuAtCall(webEngineLoader(threads), 2));
