export { createLogger, type CreateLoggerOptions, type DestinationStream, type Logger } from './create-logger.js';
export { createBufferedDestination, type BufferedDestinationOptions } from './buffered-destination.js';
