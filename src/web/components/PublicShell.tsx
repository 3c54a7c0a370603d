import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * The frame of the pages residents open from a link, without signing in (the rating page, a
 * survey): a title bar with the language switch, and a narrow column sized for a phone.
 */
export function PublicShell({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Flex
        justify="space-between"
        align="center"
        style={{ padding: '12px 16px', background: '#fff', borderBottom: '1px solid #f0f0f0' }}
      >
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <LanguageSwitch />
      </Flex>
      <Flex
        vertical
        gap={12}
        style={{ padding: 16, width: '100%', maxWidth: 560, margin: '0 auto', boxSizing: 'border-box' }}
      >
        {children}
      </Flex>
    </Flex>
  );
}
