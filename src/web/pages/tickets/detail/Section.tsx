import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A titled part of the ticket detail, with its buttons on the right. */
export function DetailSection({
  title,
  extra,
  children,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section data-testid={testId}>
      <Flex justify="space-between" align="center" gap={8} style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra ? (
          <Flex gap={8} align="center">
            {extra}
          </Flex>
        ) : null}
      </Flex>
      {children}
    </section>
  );
}
