/** The diffusion core's public surface. */
export * from './types.ts';
export * from './kernels.ts';
export { referenceKernels } from './reference.ts';
export {
  buildSchedule,
  makeBetas,
  scheduleTables,
  timesteps,
  SCHEDULE_KINDS,
  SPACINGS,
} from './schedule.ts';
export type { Schedule, ScheduleTables } from './schedule.ts';
export { SAMPLER_NAMES, SAMPLER_UPDATES } from './samplers.ts';
export { sampleLoop, abortError, PREDICTIONS } from './loop.ts';
export type { SampleLoopOptions, AbortSignalLike } from './loop.ts';
export { qSample, markovStep, forwardDiffuse, FORWARD_MODES } from './forward.ts';
export type { ForwardMode } from './forward.ts';
export { slerp, slerpCoefficients } from './slerp.ts';
