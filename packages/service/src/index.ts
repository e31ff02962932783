export { installCrashHandlers } from './crash-handlers.js';
export { checkWithin, createHealthRouter, type HealthOptions, type ReadinessCheck } from './health.js';
export { createMetricsRegistry, metricsHandler } from './metrics.js';
export { createShutdown, type Shutdown, type ShutdownOptions, type ShutdownStep } from './shutdown.js';
