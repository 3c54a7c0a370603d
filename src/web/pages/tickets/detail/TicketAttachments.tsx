import { FileOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Image, Typography } from 'antd';
import { useRef, useState } from 'react';
import { type AttachmentKind, DESK_ATTACHMENT_KINDS, type TicketAttachment } from '../../../api/types';
import { useI18n } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { formatFull, formatWhen } from '../../../components/format';
import { useTicketAttachments, useUploadAttachment } from '../queries';
import { DetailSection } from './Section';
import { personLabel } from './TicketHeader';

const THUMB = 88;
/** What the desk may attach: photos and PDFs (the server checks the content itself). */
const ACCEPT = 'image/*,application/pdf';
/** The order of the gallery: before the work, after it, the resident's signature, other files. */
const KIND_ORDER: readonly AttachmentKind[] = ['photo_before', 'photo_after', 'signature', 'file'];

/** An image is shown as a thumbnail; anything else (a PDF) as a link to open it. */
export function isImage(attachment: TicketAttachment): boolean {
  return attachment.contentType.startsWith('image/');
}

function FileLink({ attachment }: { attachment: TicketAttachment }) {
  const pdf = attachment.contentType === 'application/pdf';
  return (
    <a href={attachment.url} target="_blank" rel="noreferrer" data-testid="attachment-file">
      {pdf ? <FilePdfOutlined aria-hidden /> : <FileOutlined aria-hidden />} {attachment.fileName}
    </a>
  );
}

/**
 * Photos before and after the work, the resident's signature and other files (R10): thumbnails
 * that open the full image (arrows move between them), PDFs as links; desk staff add more.
 */
export function TicketAttachments({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const access = useAccess();
  const { data: attachments = [], isLoading } = useTicketAttachments(ticketId);
  const upload = useUploadAttachment(ticketId);
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<AttachmentKind>('photo_before');

  const choose = (next: AttachmentKind) => {
    setKind(next);
    input.current?.click();
  };
  const onFiles = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      upload.mutate(
        { kind, file },
        { onSuccess: () => void message.success(t('tickets.attachments.uploaded', { name: file.name })) },
      );
    }
    if (input.current) input.current.value = '';
  };

  const groups = KIND_ORDER.map((code) => ({
    kind: code,
    items: attachments.filter((attachment) => attachment.kind === code),
  })).filter((group) => group.items.length > 0);

  return (
    <DetailSection
      title={t('tickets.attachments.title', { count: attachments.length })}
      testId="ticket-attachments"
      extra={
        access.createTickets ? (
          <>
            <input
              ref={input}
              type="file"
              accept={ACCEPT}
              multiple
              hidden
              onChange={(event) => onFiles(event.target.files)}
              data-testid="attachment-input"
            />
            <Dropdown
              menu={{
                items: DESK_ATTACHMENT_KINDS.map((code) => ({
                  key: code,
                  label: t(`tickets.attachments.kind.${code}`),
                })),
                onClick: ({ key }) => choose(key as AttachmentKind),
              }}
            >
              <Button
                size="small"
                icon={<UploadOutlined />}
                loading={upload.isPending}
                data-testid="attachment-upload"
              >
                {t('tickets.attachments.upload')}
              </Button>
            </Dropdown>
          </>
        ) : null
      }
    >
      {groups.length === 0 ? (
        <Typography.Text type="secondary">
          {isLoading ? t('common.loading') : t('tickets.attachments.empty')}
        </Typography.Text>
      ) : (
        <Image.PreviewGroup>
          <Flex vertical gap={12}>
            {groups.map((group) => (
              <div key={group.kind}>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
                  {t(`tickets.attachments.kind.${group.kind}`)}
                </Typography.Text>
                <Flex gap={8} wrap>
                  {group.items.map((attachment) =>
                    isImage(attachment) ? (
                      <figure
                        key={attachment.id}
                        style={{ margin: 0, width: THUMB }}
                        data-testid="attachment-image"
                      >
                        <Image
                          src={attachment.thumbnailUrl ?? attachment.url}
                          preview={{ src: attachment.url }}
                          alt={attachment.fileName}
                          width={THUMB}
                          height={THUMB}
                          style={{
                            objectFit: group.kind === 'signature' ? 'contain' : 'cover',
                            borderRadius: 4,
                          }}
                        />
                        <figcaption
                          title={[
                            attachment.fileName,
                            formatFull(attachment.createdAt, t),
                            attachment.uploadedBy ? personLabel(attachment.uploadedBy) : null,
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                          style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)', textAlign: 'center' }}
                        >
                          {formatWhen(attachment.createdAt, t)}
                        </figcaption>
                      </figure>
                    ) : (
                      <FileLink key={attachment.id} attachment={attachment} />
                    ),
                  )}
                </Flex>
              </div>
            ))}
          </Flex>
        </Image.PreviewGroup>
      )}
    </DetailSection>
  );
}
