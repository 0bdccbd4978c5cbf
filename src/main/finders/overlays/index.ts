/** The text-overlay/banner finder (registered by the finder framework's registry). */
export { overlaysFinder, createOverlaysFinder, OCR_GATE } from './overlays-finder';
