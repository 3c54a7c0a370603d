import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * The published prices that may be charged on a job (有偿服务收费标准, R10): its category's and
 * its first level's (the server accepts both), without the archived ones. Under the admin page's
 * `category-prices` key, so a price edited there refreshes here too.
 */
export function useJobPrices(categoryId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['category-prices', categoryId, 'with-parent'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/ticket-categories/{id}/prices', {
          params: { path: { id: categoryId ?? '' }, query: { includeParent: true } },
        }),
      ),
    enabled: enabled && !!categoryId,
    select: (page) => page.items.filter((price) => !price.archived),
  });
}
