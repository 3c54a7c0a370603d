import { CameraOutlined, DeleteOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Image, Progress, Typography } from 'antd';
import { useRef } from 'react';
import type { AttachmentKind } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { useTicketAttachments } from '../tickets/queries';
import type { LocalUpload, PhotoUploads } from './uploads';

/** Three tiles to a row on a 375-px phone, each big enough for a gloved thumb. */
const TILE = 96;
const tileStyle = { width: TILE, height: TILE, borderRadius: 8, overflow: 'hidden', flex: 'none' } as const;

/** A photo still on the phone: its progress, or its failure with 重试 / 删除. */
function LocalTile({
  upload,
  onRetry,
  onRemove,
}: {
  upload: LocalUpload;
  onRetry: () => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const failed = upload.state === 'failed';
  const percent = Math.round(upload.progress * 100);
  return (
    <div
      style={{ ...tileStyle, position: 'relative' }}
      data-testid={failed ? 'photo-failed' : 'photo-uploading'}
      title={failed && upload.error?.fromServer ? upload.error.message : undefined}
    >
      <img
        src={upload.preview}
        alt={upload.fileName}
        style={{ width: '100%', height: '100%', objectFit: 'cover', opacity: failed ? 0.45 : 0.7 }}
      />
      <Flex
        vertical
        align="center"
        justify="center"
        gap={4}
        style={{
          position: 'absolute',
          inset: 0,
          padding: 4,
          background: failed ? 'rgba(255, 241, 240, 0.75)' : 'rgba(255, 255, 255, 0.35)',
        }}
      >
        {failed ? (
          <>
            <Button
              size="small"
              type="primary"
              icon={<ReloadOutlined />}
              onClick={onRetry}
              style={{ height: 40, width: '100%' }}
              data-testid="photo-retry"
            >
              {t('jobs.photos.retry')}
            </Button>
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              onClick={onRemove}
              style={{ height: 40, width: '100%' }}
              data-testid="photo-remove"
            >
              {t('jobs.photos.remove')}
            </Button>
          </>
        ) : (
          <Progress
            type="circle"
            percent={percent}
            size={56}
            aria-label={t('jobs.photos.uploading', { percent })}
          />
        )}
      </Flex>
    </div>
  );
}

/**
 * The photos of one kind on a job (处理前 / 处理后, R10): those the server has, as thumbnails that
 * open the full photo; those on their way up, with progress or 重试; and a big 拍照 tile that
 * opens the camera.
 */
export function PhotoStrip({
  ticketId,
  kind,
  uploads,
  label,
  hint,
  testId,
}: {
  ticketId: string;
  kind: Extract<AttachmentKind, 'photo_before' | 'photo_after'>;
  uploads: PhotoUploads;
  label: string;
  hint?: string;
  testId: string;
}) {
  const { t } = useI18n();
  const { data: attachments = [] } = useTicketAttachments(ticketId);
  const saved = attachments.filter((attachment) => attachment.kind === kind);
  const input = useRef<HTMLInputElement>(null);
  const sending = uploads.uploads.filter((upload) => upload.state === 'uploading').length;
  const failed = uploads.uploads.filter((upload) => upload.state === 'failed');
  const failedHere = failed.find((upload) => upload.error?.fromServer);

  return (
    <section aria-label={label} data-testid={testId}>
      <Flex justify="space-between" align="baseline" style={{ marginBottom: 6 }}>
        <Typography.Text strong>{label}</Typography.Text>
        <Typography.Text type="secondary" data-testid={`${testId}-count`}>
          {t('jobs.photos.count', { count: saved.length })}
        </Typography.Text>
      </Flex>
      {hint && saved.length === 0 && uploads.uploads.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ margin: '0 0 6px' }}>
          {hint}
        </Typography.Paragraph>
      ) : null}
      <Flex gap={8} wrap>
        <Image.PreviewGroup>
          {saved.map((attachment) => (
            <div key={attachment.id} style={tileStyle} data-testid="photo-saved">
              <Image
                src={attachment.thumbnailUrl ?? attachment.url}
                preview={{ src: attachment.url }}
                alt={attachment.fileName}
                width={TILE}
                height={TILE}
                style={{ objectFit: 'cover' }}
              />
            </div>
          ))}
        </Image.PreviewGroup>
        {uploads.uploads.map((upload) => (
          <LocalTile
            key={upload.key}
            upload={upload}
            onRetry={() => uploads.retry(upload.key)}
            onRemove={() => uploads.remove(upload.key)}
          />
        ))}
        <Button
          type="dashed"
          onClick={() => input.current?.click()}
          style={{ ...tileStyle, display: 'flex', flexDirection: 'column', gap: 4, fontSize: 16 }}
          icon={<CameraOutlined style={{ fontSize: 28 }} />}
          data-testid={`${testId}-take`}
        >
          {t('jobs.photos.take')}
        </Button>
      </Flex>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        hidden
        aria-label={label}
        onChange={(event) => {
          const picked = Array.from(event.target.files ?? []);
          event.target.value = '';
          void uploads.add(picked);
        }}
        data-testid={`${testId}-input`}
      />
      <div className="visually-hidden" aria-live="polite">
        {sending > 0 ? t('jobs.photos.sending', { count: sending }) : ''}
      </div>
      {failed.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={failedHere?.error ? failedHere.error.message : t('jobs.photos.failedHint')}
          data-testid={`${testId}-failed`}
        />
      ) : null}
    </section>
  );
}
