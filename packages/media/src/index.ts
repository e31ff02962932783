export { IMAGE_CONTENT_TYPES, sniffImage } from './image-type.js';
