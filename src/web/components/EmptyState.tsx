import { Empty } from 'antd';
import type { ReactNode } from 'react';

/** An empty list says what to do next, optionally with the button that does it. */
export function EmptyState({ text, action }: { text: ReactNode; action?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} style={{ padding: '24px 0' }}>
      {action}
    </Empty>
  );
}
