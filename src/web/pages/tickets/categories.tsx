import { useQuery } from '@tanstack/react-query';
import type { RefSelectProps } from 'antd';
import { Select } from 'antd';
import { forwardRef, useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import type { TicketCategory } from '../../api/types';
import { useT } from '../../app/i18n';
import { matchesTyped, usePinyinKeys } from '../../components/pinyin';

export const CATEGORIES_KEY = ['ticket-categories'] as const;

/** The two-level category tree (a company has tens of categories: loaded whole, kept for minutes). */
export function useCategories(includeArchived = false) {
  return useQuery({
    queryKey: [...CATEGORIES_KEY, includeArchived],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/ticket-categories', {
          params: { query: includeArchived ? { includeArchived: true } : {} },
        }),
      ).then((page) => page.items),
    staleTime: 5 * 60_000,
  });
}

/** One category a ticket can be filed under, with the first level it belongs to. */
export interface CategoryChoice {
  id: string;
  code: string;
  name: string;
  /** The first level's name, or null for a first-level category without children. */
  parentName: string | null;
  /** How it is shown once chosen: 水电 / 漏水渗水. */
  path: string;
}

/** The categories to file under: the second level, and first levels that have none. */
export function categoryChoices(tree: readonly TicketCategory[]): CategoryChoice[] {
  const choices: CategoryChoice[] = [];
  for (const parent of tree) {
    if (parent.archived) continue;
    const children = (parent.children ?? []).filter((child) => !child.archived);
    if (children.length === 0) {
      choices.push({
        id: parent.id,
        code: parent.code,
        name: parent.name,
        parentName: null,
        path: parent.name,
      });
      continue;
    }
    for (const child of children) {
      choices.push({
        id: child.id,
        code: child.code,
        name: child.name,
        parentName: parent.name,
        path: `${parent.name} / ${child.name}`,
      });
    }
  }
  return choices;
}

/** The choices by id, for the read-back and the detail (archived ones too, for old tickets). */
export function useCategoryNames(): Map<string, string> {
  const { data } = useCategories(true);
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const parent of data ?? []) {
      names.set(parent.id, parent.name);
      for (const child of parent.children ?? []) names.set(child.id, `${parent.name} / ${child.name}`);
    }
    return names;
  }, [data]);
}

interface CategorySelectProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | undefined, choice: CategoryChoice | undefined) => void;
  'data-testid'?: string;
  placeholder?: string;
}

/**
 * The category, chosen by keyboard: typing filters by the characters or the pinyin initials of a
 * category or of its first level ("ls" → 漏水渗水, "dt" → every 电梯 category), arrows move, Enter
 * picks the highlighted (first) one.
 */
export const CategorySelect = forwardRef<RefSelectProps, CategorySelectProps>(function CategorySelect(
  { id, value, onChange, placeholder, 'data-testid': testId },
  ref,
) {
  const t = useT();
  const keysOf = usePinyinKeys();
  const { data, isLoading } = useCategories();
  const choices = useMemo(() => categoryChoices(data ?? []), [data]);
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; options: { value: string; label: string }[] }>();
    const loose: { value: string; label: string }[] = [];
    for (const choice of choices) {
      const option = { value: choice.id, label: choice.path };
      if (!choice.parentName) {
        loose.push(option);
        continue;
      }
      const group = groups.get(choice.parentName) ?? { label: choice.parentName, options: [] };
      group.options.push(option);
      groups.set(choice.parentName, group);
    }
    return [...groups.values(), ...loose];
  }, [choices]);
  const byId = useMemo(() => new Map(choices.map((choice) => [choice.id, choice])), [choices]);

  return (
    <Select
      ref={ref}
      id={id}
      data-testid={testId}
      value={value ?? undefined}
      allowClear
      loading={isLoading}
      placeholder={placeholder ?? t('tickets.intake.categoryPlaceholder')}
      options={options}
      popupMatchSelectWidth={false}
      showSearch={{
        filterOption: (typed, option) => {
          const value = option && 'value' in option ? option.value : undefined;
          const choice = value ? byId.get(String(value)) : undefined;
          if (!choice) return false;
          return (
            matchesTyped(choice.name, typed, keysOf) ||
            (!!choice.parentName && matchesTyped(choice.parentName, typed, keysOf))
          );
        },
      }}
      // the first level is the group's header: the option shows the category's own name
      optionRender={(option) => byId.get(String(option.value))?.name ?? option.label}
      onChange={(next: string | undefined) => onChange?.(next, next ? byId.get(next) : undefined)}
      notFoundContent={t('tickets.intake.noCategory')}
    />
  );
});

/**
 * The published prices that apply to a category (R10): its own and its first level's, the
 * archived ones left out. Paid work is priced from these.
 */
export function usePublishedPrices(categoryId: string | null | undefined) {
  return useQuery({
    queryKey: ['category-prices', categoryId, 'published'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/ticket-categories/{id}/prices', {
          params: { path: { id: categoryId ?? '' }, query: { includeParent: true } },
        }),
      ).then((page) => page.items.filter((price) => !price.archived)),
    enabled: !!categoryId,
    staleTime: 60_000,
  });
}
