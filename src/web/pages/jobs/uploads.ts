import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, reportError, toApiError } from '../../api/errors';
import type { AttachmentKind, TicketAttachment } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { useCurrentUser } from '../../app/session';
import { newUuid } from '../../components/uuid';
import { attachmentsKey } from '../tickets/queries';

/** A photo on a weak mobile connection may take long; past this the upload counts as failed. */
const UPLOAD_TIMEOUT_MS = 120_000;
/** Phone photos above this are shrunk before sending (poor signal, UX.md). */
const SHRINK_ABOVE_BYTES = 1_500_000;
/** The long side of a shrunk photo: enough to read a meter or a label. */
const SHRINK_MAX_SIDE = 2048;

interface SendOptions {
  csrfToken: string | null;
  locale: string;
  /** 0…1 of the bytes sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * POST /api/v1/tickets/{id}/attachments as multipart (kind + file). XMLHttpRequest rather than
 * the shared fetch client because only it reports upload progress; it sends the same CSRF and
 * language headers, and failures become the same ApiError (network failures: status 0).
 */
export function sendAttachment(
  ticketId: string,
  kind: AttachmentKind,
  file: Blob,
  fileName: string,
  options: SendOptions,
): Promise<TicketAttachment> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', file, fileName);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.setRequestHeader('Accept-Language', options.locale);
    if (options.csrfToken) xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    const failed = () => reject(ApiError.network(new Error('upload failed')));
    xhr.onerror = failed;
    xhr.ontimeout = failed;
    xhr.onabort = failed;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: toApiError falls back to a generic message
      }
      if (xhr.status === 201 && body) {
        resolve(body as TicketAttachment);
        return;
      }
      const requestId = xhr.getResponseHeader('x-request-id');
      const response = new Response(null, {
        status: xhr.status,
        headers: requestId ? { 'x-request-id': requestId } : {},
      });
      reject(toApiError(response, body));
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** sendAttachment with the signed-in user's CSRF token and the console's language. */
export function useSendAttachment() {
  const me = useCurrentUser();
  const { locale } = useI18n();
  const queryClient = useQueryClient();
  return useCallback(
    async (
      ticketId: string,
      kind: AttachmentKind,
      file: Blob,
      fileName: string,
      options: Pick<SendOptions, 'onProgress' | 'signal'> = {},
    ) => {
      const attachment = await sendAttachment(ticketId, kind, file, fileName, {
        ...options,
        csrfToken: me.csrfToken,
        locale,
      });
      // shown at once; the refetch confirms it
      queryClient.setQueryData<TicketAttachment[]>(attachmentsKey(ticketId), (old) =>
        old ? [...old.filter((item) => item.id !== attachment.id), attachment] : old,
      );
      void queryClient.invalidateQueries({ queryKey: attachmentsKey(ticketId) });
      return attachment;
    },
    [me.csrfToken, locale, queryClient],
  );
}

/**
 * A large phone photo shrunk to a JPEG of at most 2048 px on the long side (EXIF orientation
 * applied by createImageBitmap); anything small, not a photo, or that cannot be read here goes
 * as it is and the server judges it.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (file.size <= SHRINK_ABOVE_BYTES || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  if (typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, SHRINK_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext('2d');
    if (!context) return file;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

/** A photo on its way up: shown from the phone's copy until the server has it. */
export interface LocalUpload {
  key: string;
  fileName: string;
  /** An object URL of the phone's copy. */
  preview: string;
  /** 0…1 */
  progress: number;
  state: 'uploading' | 'failed';
  error: ApiError | null;
}

/**
 * The photos of one kind being sent for a ticket: each shows its progress, a failure keeps the
 * photo on the phone with 重试 / 删除, and failures for want of a network are sent again by
 * themselves when the phone is back online. An upload still running when the screen closes is
 * cancelled (the photo is not lost from the phone's gallery).
 */
export function usePhotoUploads(ticketId: string, kind: AttachmentKind) {
  const send = useSendAttachment();
  const [uploads, setUploads] = useState<LocalUpload[]>([]);
  const files = useRef(
    new Map<string, { file: File; controller: AbortController | null; preview: string; offline: boolean }>(),
  );

  const patch = useCallback((key: string, change: Partial<LocalUpload>) => {
    setUploads((list) => list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  }, []);

  const forget = useCallback((key: string) => {
    const entry = files.current.get(key);
    if (!entry) return;
    entry.controller?.abort();
    URL.revokeObjectURL(entry.preview);
    files.current.delete(key);
    setUploads((list) => list.filter((upload) => upload.key !== key));
  }, []);

  const run = useCallback(
    async (key: string) => {
      const entry = files.current.get(key);
      if (!entry) return;
      const controller = new AbortController();
      entry.controller = controller;
      patch(key, { state: 'uploading', progress: 0, error: null });
      try {
        await send(ticketId, kind, entry.file, entry.file.name, {
          signal: controller.signal,
          onProgress: (progress) => patch(key, { progress }),
        });
        forget(key);
      } catch (error) {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : ApiError.network(error);
        // a lost session signs out as everywhere else; other failures stay on the thumbnail
        if (apiError.status === 401) reportError(apiError);
        entry.controller = null;
        entry.offline = apiError.status === 0;
        patch(key, { state: 'failed', error: apiError });
      }
    },
    [send, ticketId, kind, patch, forget],
  );

  const add = useCallback(
    async (picked: Iterable<File>) => {
      for (const original of picked) {
        const file = await shrinkPhoto(original);
        const key = newUuid();
        const preview = URL.createObjectURL(file);
        files.current.set(key, { file, controller: null, preview, offline: false });
        setUploads((list) => [
          ...list,
          { key, fileName: file.name, preview, progress: 0, state: 'uploading', error: null },
        ]);
        void run(key);
      }
    },
    [run],
  );

  // back online: send again what failed for want of a network
  useEffect(() => {
    const onOnline = () => {
      for (const [key, entry] of files.current) if (!entry.controller && entry.offline) void run(key);
    };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [run]);

  // leaving the screen: stop what is running and free the previews
  useEffect(() => {
    const current = files.current;
    return () => {
      for (const entry of current.values()) {
        entry.controller?.abort();
        URL.revokeObjectURL(entry.preview);
      }
      current.clear();
    };
  }, []);

  return {
    uploads,
    add,
    retry: (key: string) => void run(key),
    remove: forget,
    busy: uploads.some((upload) => upload.state === 'uploading'),
    failed: uploads.some((upload) => upload.state === 'failed'),
  };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;
