import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useDebounced } from './useDebounced';

/** A chosen record as forms keep it: its id and the text the user saw. */
export interface Picked {
  value: string;
  label: string;
}

interface SearchSelectProps<T> {
  id?: string;
  queryKey: QueryKey;
  search: (q: string) => Promise<T[]>;
  toOption: (item: T) => Picked & { description?: string };
  value?: Picked | null;
  onChange?: (picked: Picked | undefined, item: T | undefined) => void;
  enabled?: boolean;
  placeholder?: string;
  notFound?: string;
  'data-testid'?: string;
}

/** Select that searches the server as the user types (rooms, residents): never loads whole lists. */
export function SearchSelect<T>({
  id,
  queryKey,
  search,
  toOption,
  value,
  onChange,
  enabled = true,
  placeholder,
  notFound,
  'data-testid': testId,
}: SearchSelectProps<T>) {
  const [q, setQ] = useState('');
  const debouncedQ = useDebounced(q.trim(), 250);
  const { data, isFetching } = useQuery({
    queryKey: [...queryKey, debouncedQ],
    queryFn: () => search(debouncedQ),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const items = useRef(new Map<string, T>());
  const options = useMemo(() => {
    const list = (data ?? []).map((item) => {
      const option = toOption(item);
      items.current.set(option.value, item);
      return {
        value: option.value,
        label: option.label,
        title: option.description ? `${option.label} ${option.description}` : option.label,
      };
    });
    if (value && !list.some((option) => option.value === value.value)) {
      list.unshift({ value: value.value, label: value.label, title: value.label });
    }
    return list;
  }, [data, toOption, value]);

  return (
    <Select
      id={id}
      data-testid={testId}
      labelInValue
      allowClear
      disabled={enabled ? undefined : true}
      value={value ?? undefined}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setQ }}
      notFoundContent={isFetching ? <Spin size="small" /> : notFound}
      options={options}
      optionRender={(option) => <span title={String(option.data.title)}>{option.data.title}</span>}
      onChange={(next: { value: string; label?: unknown } | undefined) => {
        setQ('');
        if (!next) {
          onChange?.(undefined, undefined);
          return;
        }
        const option = options.find((candidate) => candidate.value === next.value);
        const label = option?.label ?? (typeof next.label === 'string' ? next.label : next.value);
        onChange?.({ value: next.value, label }, items.current.get(next.value));
      }}
    />
  );
}
