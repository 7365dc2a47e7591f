/**
 * The generator worker: the whole sampling loop (onnxruntime session and
 * AssemblyScript kernels) runs here, reached from the page through comlink.
 * Previews, images and frames are transferred, not copied.
 */
import { webEngineLoader } from '../src/runtime/ort-web.ts';
import { serveGenerator } from './serve-generator.ts';

serveGenerator(webEngineLoader);
