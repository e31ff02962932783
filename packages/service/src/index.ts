export { closeServer } from './close-server.js';
export { installCrashHandlers } from './crash-handlers.js';
export { checkWithin, createHealthRouter, type HealthOptions, type ReadinessCheck } from './health.js';
export { createMetricsRegistry, metricsHandler } from './metrics.js';
export { createOpsApp, type OpsAppDeps } from './ops-app.js';
export { createShutdown, type Shutdown, type ShutdownOptions, type ShutdownStep } from './shutdown.js';
