import { App, Button, Drawer, Form, Input, InputNumber, Segmented, Skeleton, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { ApiError, reportError } from '../../api/errors';
import type { TicketDetail } from '../../api/types';
import { useI18n } from '../../app/i18n';
import type { LanguageOverride } from '../../components/languageApi';
import { useLanguageOverride } from '../../components/useLanguageOverride';
import { ReportFields } from '../tickets/detail/TicketActions';
import { type SeenTicket, useTicketAction, useTicketAttachments } from '../tickets/queries';
import { type CompletionValues, type ConfirmMethod, completeBody, pickedItems } from './completion';
import { BIG, where } from './JobSummary';
import { PhotoStrip } from './PhotoStrip';
import { PriceItems } from './PriceItems';
import { useJobPrices } from './queries';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';
import { usePhotoUploads, useSendAttachment } from './uploads';

/** A public-area job has nobody to sign; a room or a caller has. */
function hasResident(ticket: TicketDetail): boolean {
  return !!(ticket.roomId || ticket.residentId || ticket.callerPhone);
}

/** The section headings of the report, large enough to find on a long phone form. */
function Heading({ children }: { children: React.ReactNode }) {
  return (
    <Typography.Title level={5} style={{ margin: '8px 0 8px' }}>
      {children}
    </Typography.Title>
  );
}

/**
 * The completion report on the phone, full screen (R10): photos after the work, cause, work done,
 * parts and advice; for paid work the items of the published price list with the total (or the
 * charge typed, where the category has no list); and the resident's confirmation, signed on the
 * screen or taken by phone. The signature is uploaded as a PNG first, once per drawing, and its
 * id goes with the report; a failed send keeps everything on screen to send again.
 */
export function CompletionScreen({
  ticket,
  seen,
  onClose,
  onError,
}: {
  ticket: TicketDetail;
  seen: SeenTicket;
  onClose: () => void;
  onError: (error: Error) => void;
}) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<CompletionValues>();
  const run = useTicketAction({ form });
  const override = useLanguageOverride();
  const after = usePhotoUploads(ticket.id, 'photo_after');
  const attachments = useTicketAttachments(ticket.id);
  const prices = useJobPrices(ticket.categoryId, ticket.paid);
  const priceList = prices.data ?? [];
  const withResident = hasResident(ticket);
  const method = Form.useWatch('confirmMethod', form) ?? (withResident ? 'signature' : 'none');

  const pad = useRef<SignaturePadHandle>(null);
  const [ink, setInk] = useState({ empty: true, revision: 0 });
  const [signatureMissing, setSignatureMissing] = useState(false);
  const [signing, setSigning] = useState(false);
  /** The signature already uploaded for this drawing: a second try does not upload it again. */
  const uploadedSignature = useRef<{ revision: number; id: string } | null>(null);
  const sendAttachment = useSendAttachment();
  const onInk = useCallback((state: { empty: boolean; revision: number }) => {
    setInk(state);
    if (!state.empty) setSignatureMissing(false);
  }, []);

  /** The signature's attachment id, uploading the drawing if it is new; null when that failed. */
  const signatureId = async (): Promise<string | null> => {
    if (uploadedSignature.current?.revision === ink.revision) return uploadedSignature.current.id;
    const png = await pad.current?.toPng();
    if (!png) return null;
    setSigning(true);
    try {
      const attachment = await sendAttachment(ticket.id, 'signature', png, `signature-${ticket.number}.png`);
      uploadedSignature.current = { revision: ink.revision, id: attachment.id };
      return attachment.id;
    } catch (error) {
      reportError(error instanceof ApiError ? error : ApiError.network(error));
      return null;
    } finally {
      setSigning(false);
    }
  };

  const send = (values: CompletionValues, signature: string | null, languageOverride?: LanguageOverride) =>
    run.mutate(
      {
        ticket: seen,
        action: 'complete',
        body: { ...completeBody(values, signature), ...(languageOverride ? { languageOverride } : {}) },
      },
      {
        onSuccess: () => {
          onClose();
          void message.success(t('tickets.action.done', { action: t('tickets.action.complete') }));
        },
        // §6: a forbidden phrase in the report is fixed, or sent anyway with a reason
        onError: (error) => {
          if (!override.guard(error, (given) => send(values, signature, given))) onError(error);
        },
      },
    );

  const submit = async (values: CompletionValues) => {
    if (after.busy) return void message.warning(t('jobs.report.photosBusy'));
    if (after.failed) return void message.warning(t('jobs.report.photosFailed'));
    const confirmMethod: ConfirmMethod = values.confirmMethod ?? method;
    if (confirmMethod === 'signature' && ink.empty) {
      setSignatureMissing(true);
      return;
    }
    const finish = async () => {
      const signature = confirmMethod === 'signature' ? await signatureId() : null;
      if (confirmMethod === 'signature' && !signature) return;
      send({ ...values, confirmMethod }, signature);
    };
    const hasAfterPhoto = (attachments.data ?? []).some((attachment) => attachment.kind === 'photo_after');
    if (hasAfterPhoto) {
      await finish();
      return;
    }
    // R10 asks for photos: a report without one is sent only when the technician says so
    modal.confirm({
      title: t('jobs.report.noAfterPhotoTitle'),
      content: t('jobs.report.noAfterPhoto'),
      okText: t('jobs.report.submitAnyway'),
      cancelText: t('jobs.report.takePhoto'),
      onOk: () => void finish(),
    });
  };

  const required = (field: string) => [
    { required: true, whitespace: true, message: t('common.required', { field }) },
  ];

  return (
    <Drawer
      open
      placement="bottom"
      size="100%"
      title={t('jobs.reportTitle')}
      onClose={onClose}
      destroyOnHidden
      styles={{ body: { padding: 16 }, footer: { padding: 12 } }}
      footer={
        <Button
          type="primary"
          block
          style={BIG}
          loading={run.isPending || signing}
          onClick={() => form.submit()}
          data-testid="report-submit"
        >
          {signing ? t('jobs.signature.uploading') : t('jobs.submitReport')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {where(ticket)} · {ticket.content}
      </Typography.Paragraph>
      <Form<CompletionValues>
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ confirmMethod: withResident ? 'signature' : 'none', items: {} }}
        onFinish={(values) => void submit(values)}
        scrollToFirstError
      >
        <div style={{ marginBottom: 20 }}>
          <PhotoStrip
            ticketId={ticket.id}
            kind="photo_after"
            uploads={after}
            label={t('jobs.photos.after')}
            hint={t('jobs.photos.afterHint')}
            testId="photos-after"
          />
        </div>
        <ReportFields withCharge={false} />

        {ticket.paid ? (
          <section data-testid="report-charge-section">
            <Heading>{t('jobs.charge.title')}</Heading>
            {prices.isLoading ? (
              <Skeleton active paragraph={{ rows: 2 }} />
            ) : priceList.length > 0 ? (
              <Form.Item
                name="items"
                label={t('jobs.charge.items')}
                rules={[
                  {
                    validator: (_rule, value: CompletionValues['items']) =>
                      pickedItems(value).length > 0
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('jobs.charge.itemsRequired'))),
                  },
                ]}
              >
                <PriceItems prices={priceList} />
              </Form.Item>
            ) : (
              <Form.Item
                name="charge"
                label={t('jobs.charge.typed')}
                extra={t('jobs.charge.noPriceList')}
                rules={[{ required: true, message: t('jobs.charge.typedRequired') }]}
              >
                <InputNumber
                  min={0.01}
                  max={1_000_000}
                  precision={2}
                  inputMode="decimal"
                  style={{ width: '100%' }}
                  data-testid="report-charge"
                />
              </Form.Item>
            )}
          </section>
        ) : null}

        <section data-testid="report-confirmation">
          <Heading>{t('jobs.confirm.title')}</Heading>
          <Form.Item name="confirmMethod" noStyle>
            <Segmented<ConfirmMethod>
              block
              size="large"
              options={[
                ...(withResident ? [] : [{ value: 'none' as const, label: t('jobs.confirm.none') }]),
                { value: 'signature', label: t('jobs.confirm.signature') },
                { value: 'verbal', label: t('jobs.confirm.verbal') },
              ]}
              data-testid="confirm-method"
            />
          </Form.Item>
          <div style={{ marginTop: 12 }}>
            {/* kept while another method is shown, so switching back finds the drawing */}
            <div hidden={method !== 'signature'}>
              <Form.Item
                validateStatus={signatureMissing ? 'error' : undefined}
                help={signatureMissing ? t('jobs.signature.required') : undefined}
              >
                <SignaturePad ref={pad} onChange={onInk} />
              </Form.Item>
            </div>
            {method === 'signature' ? null : method === 'verbal' ? (
              <Form.Item
                name="verbalNote"
                label={t('jobs.confirm.verbalNote')}
                rules={required(t('jobs.confirm.verbalNote'))}
              >
                <Input.TextArea
                  autoSize={{ minRows: 2 }}
                  maxLength={500}
                  placeholder={t('jobs.confirm.verbalPlaceholder')}
                  data-testid="confirm-verbal-note"
                />
              </Form.Item>
            ) : (
              <Typography.Text type="secondary">{t('jobs.confirm.noneHint')}</Typography.Text>
            )}
          </div>
        </section>
      </Form>
      {override.element}
    </Drawer>
  );
}
