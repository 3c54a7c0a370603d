import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../../api/client';
import type { CategoryCreate, CategoryPatch, PriceCreate, PricePatch } from '../../../api/types';
import { CATEGORIES_KEY } from '../../tickets/categories';

const pricesKey = (categoryId: string | undefined) => ['category-prices', categoryId] as const;

export function useCreateCategory(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CategoryCreate) => unwrap(api.POST('/api/v1/ticket-categories', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CATEGORIES_KEY }),
  });
}

export function useUpdateCategory(form?: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CategoryPatch }) =>
      unwrap(api.PATCH('/api/v1/ticket-categories/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CATEGORIES_KEY }),
  });
}

/** The published prices of one category (有偿服务收费标准, R10). */
export function usePrices(categoryId: string | undefined, includeArchived: boolean) {
  return useQuery({
    queryKey: [...pricesKey(categoryId), includeArchived],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/ticket-categories/{id}/prices', {
          params: {
            path: { id: categoryId ?? '' },
            query: includeArchived ? { includeArchived: true } : {},
          },
        }),
      ).then((page) => page.items),
    enabled: !!categoryId,
  });
}

export function useCreatePrice(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ categoryId, body }: { categoryId: string; body: PriceCreate }) =>
      unwrap(
        api.POST('/api/v1/ticket-categories/{id}/prices', { params: { path: { id: categoryId } }, body }),
      ),
    meta: { form },
    onSuccess: (price) => queryClient.invalidateQueries({ queryKey: pricesKey(price.categoryId) }),
  });
}

export function useUpdatePrice(form?: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PricePatch }) =>
      unwrap(api.PATCH('/api/v1/category-prices/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: (price) => queryClient.invalidateQueries({ queryKey: pricesKey(price.categoryId) }),
  });
}
