export {
  SAMPLE_APP,
  SAMPLE_CREATE_TIME,
  SAMPLE_NAMES,
  SAMPLE_OPENID,
  SAMPLE_TO_USER_NAME,
  sampleCredentials,
  sampleMessage,
  type SampleName,
} from './sample-messages.js';
export { serializeFields, simulateCallback, simulateUrlVerification } from './simulate-callback.js';
export { HOSTILE_BODY_FAMILIES, filledBody, type HostileBodyFamily } from './hostile-bodies.js';
