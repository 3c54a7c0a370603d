import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input } from 'antd';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { useT } from '../../../app/i18n';
import { ME_KEY, useCurrentUser } from '../../../app/session';
import { PageHeader } from '../../../components/PageHeader';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const MIN_LENGTH = 8;

export function ChangePasswordPage() {
  const t = useT();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: (values: PasswordForm) =>
      unwrap(
        api.PUT('/api/v1/me/password', {
          body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
        }),
      ),
    meta: { form },
    onSuccess: async () => {
      void message.success(t('me.password.done'));
      form.resetFields();
      const wasForced = me.mustChangePassword;
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      if (wasForced) navigate('/', { replace: true });
    },
  });

  return (
    <div style={{ maxWidth: 440, margin: me.mustChangePassword ? '0 auto' : undefined }}>
      <PageHeader title={t('me.password.title')} />
      {me.mustChangePassword ? (
        <Alert type="warning" showIcon title={t('me.password.forced')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={(values) => change.mutate(values)}>
        <Form.Item
          name="currentPassword"
          label={t('me.password.current')}
          rules={[{ required: true, message: t('common.required', { field: t('me.password.current') }) }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('me.password.next')}
          extra={t('me.password.rule')}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('me.password.next') }) },
            { min: MIN_LENGTH, message: t('me.password.tooShort') },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                value && value === getFieldValue('currentPassword')
                  ? Promise.reject(new Error(t('me.password.sameAsCurrent')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('me.password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('me.password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('me.password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('me.password.submit')}
        </Button>
      </Form>
    </div>
  );
}
