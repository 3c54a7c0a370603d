import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Image, Input, Select, Skeleton, Typography, Upload } from 'antd';
import { useEffect } from 'react';
import { api, unwrap } from '../../../api/client';
import type { CompanyInput } from '../../../api/types';
import { useT } from '../../../app/i18n';
import { formatFull } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { timeZoneOptions } from '../../../components/timeZones';

const COMPANY_KEY = ['company'] as const;
const MAX_LOGO_BYTES = 200 * 1024;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('read'));
    reader.onerror = () => reject(reader.error ?? new Error('read'));
    reader.readAsDataURL(file);
  });
}

/** Upload control for a form field holding the logo as a data URL (or null). */
function LogoField({
  value,
  onChange,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <Flex align="center" gap={16} wrap>
      {value ? (
        <Image
          src={value}
          alt={t('company.logo')}
          height={64}
          style={{ objectFit: 'contain' }}
          preview={false}
        />
      ) : null}
      <Upload
        accept="image/png,image/jpeg,image/svg+xml,image/webp,image/gif"
        showUploadList={false}
        beforeUpload={async (file) => {
          if (!file.type.startsWith('image/')) {
            void message.error(t('company.logoNotImage'));
          } else if (file.size > MAX_LOGO_BYTES) {
            void message.error(t('company.logoTooLarge'));
          } else {
            onChange?.(await readAsDataUrl(file));
          }
          return Upload.LIST_IGNORE;
        }}
      >
        <Button icon={<UploadOutlined />}>{t('company.upload')}</Button>
      </Upload>
      {value ? (
        <Button icon={<DeleteOutlined />} onClick={() => onChange?.(null)}>
          {t('company.remove')}
        </Button>
      ) : null}
    </Flex>
  );
}

export function CompanyPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CompanyInput>();
  const { data: company, isLoading } = useQuery({
    queryKey: COMPANY_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/company')),
  });
  useEffect(() => {
    if (company) form.setFieldsValue(company);
  }, [company, form]);

  const save = useMutation({
    mutationFn: (values: CompanyInput) =>
      unwrap(
        api.PUT('/api/v1/company', {
          body: {
            name: values.name.trim(),
            shortName: values.shortName.trim(),
            hotline: values.hotline?.trim() || null,
            timeZone: values.timeZone,
            logoDataUrl: values.logoDataUrl ?? null,
          },
        }),
      ),
    meta: { form },
    onSuccess: (saved) => {
      void message.success(t('common.saved'));
      queryClient.setQueryData(COMPANY_KEY, saved);
      return queryClient.invalidateQueries({ queryKey: [...COMPANY_KEY, 'public'] });
    },
  });

  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('common.required', { field }),
  });

  return (
    <div style={{ maxWidth: 560 }}>
      <PageHeader title={t('company.title')} />
      {isLoading ? (
        <Skeleton active />
      ) : (
        <Form<CompanyInput> form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
          <Form.Item name="name" label={t('company.name')} rules={[required(t('company.name'))]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="shortName"
            label={t('company.shortName')}
            extra={t('company.shortNameHint')}
            rules={[required(t('company.shortName'))]}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="hotline" label={t('company.hotline')}>
            <Input inputMode="tel" maxLength={30} />
          </Form.Item>
          <Form.Item name="timeZone" label={t('company.timeZone')} rules={[required(t('company.timeZone'))]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={timeZoneOptions()} />
          </Form.Item>
          <Form.Item name="logoDataUrl" label={t('company.logo')} extra={t('company.logoHint')}>
            <LogoField />
          </Form.Item>
          <Flex align="center" gap={16}>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {company ? (
              <Typography.Text type="secondary">
                {t('company.updatedAt', { time: formatFull(company.updatedAt, t) })}
              </Typography.Text>
            ) : null}
          </Flex>
        </Form>
      )}
    </div>
  );
}
