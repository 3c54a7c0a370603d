import type { FastifyInstance } from 'fastify';

/**
 * The console's Content-Security-Policy. Scripts come only from our own origin (Vite emits one
 * external module script, no inline code); styles also allow inline because antd's CSS-in-JS
 * injects <style> tags at run time; images may be data:/blob: (icons, photo previews before
 * upload). Swagger UI at /docs loads only its own external scripts and styles and fetches its
 * JSON from the same origin, so the same policy serves it (checked in a browser).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * The technician's phone page takes photos through `<input type="file" capture>`, which hands
 * over to the phone's camera app and needs no camera permission: nothing here uses the camera,
 * the microphone or the location, so no page may ask for them.
 */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // nothing of ours (ticket ids in the address) goes to another site, not even the origin
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': PERMISSIONS_POLICY,
};

/** The same security headers on every response: pages, API answers, errors, downloads, /docs. */
export function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
  });
}
