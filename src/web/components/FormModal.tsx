import { Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect } from 'react';

/**
 * Each opening starts from this opening's `initialValues`: the form instance outlives the dialog,
 * and antd would otherwise keep the values of the previous opening.
 */
function ResetOnOpen({ form }: { form: FormInstance }) {
  useEffect(() => form.resetFields(), [form]);
  return null;
}

/**
 * A small create/edit dialog. The form lives as long as the dialog is open; on a failed save it
 * keeps its content and shows the server's field errors (the mutation carries `meta.form`).
 */
export function FormModal<T extends object>({
  open,
  title,
  form,
  onCancel,
  onSubmit,
  saving,
  okText,
  initialValues,
  children,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  form: FormInstance<T>;
  onCancel: () => void;
  onSubmit: (values: T) => void;
  saving: boolean;
  okText?: ReactNode;
  initialValues?: Partial<T>;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={okText}
      confirmLoading={saving}
      destroyOnHidden
      forceRender={false}
      data-testid={testId}
    >
      <Form<T>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onSubmit}
        preserve={false}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.submit();
        }}
      >
        <ResetOnOpen form={form} />
        {children}
      </Form>
    </Modal>
  );
}
