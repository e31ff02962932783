export { closeServer } from './close-server.js';
export { installCrashHandlers } from './crash-handlers.js';
export { checkWithin, createHealthRouter, type HealthOptions, type ReadinessCheck } from './health.js';
export { createMetricsRegistry } from './metrics.js';
export { createOpsApp, type OpsAppDeps } from './ops-app.js';
export { createShutdown, type Shutdown, type ShutdownOptions, type ShutdownStep } from './shutdown.js';
export { listen } from './listen.js';
export { TIMED_OUT, raceTimeout } from './race-timeout.js';
export { isEntryPoint, runService, type ProcessHooks, type ServiceDefinition, type ServiceRuntime, type StartedService } from './run-service.js';
