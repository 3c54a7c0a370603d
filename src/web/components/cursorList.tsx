import { keepPreviousData, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { Button, Flex, Typography } from 'antd';
import { useMemo } from 'react';
import { useT } from '../app/i18n';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list served page by page with `nextCursor`; `items` is everything loaded so far. With
 * `keepPrevious` the last results stay on screen while the next key loads (search as you type).
 */
export function useCursorList<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  enabled = true,
  keepPrevious = false,
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { ...query, items };
}

export function LoadMore({
  count,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  count: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}) {
  const t = useT();
  if (count === 0) return null;
  return (
    <Flex justify="center" align="center" gap={12} style={{ padding: '12px 0' }}>
      <Typography.Text type="secondary">{t('common.shown', { count })}</Typography.Text>
      {hasNextPage ? (
        <Button onClick={() => void fetchNextPage()} loading={isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      )}
    </Flex>
  );
}
