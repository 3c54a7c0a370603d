import { DatePicker, Flex, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useT } from '../../../app/i18n';

/** A home visit's window (R8: booked with the resident beforehand). */
export interface AppointmentWindow {
  from: Dayjs;
  to: Dayjs;
}

/** The two-hour windows a visit is booked in, by their start hour. */
const SLOT_HOURS = [8, 10, 12, 14, 16, 18] as const;
const SLOT_LENGTH_HOURS = 2;

const slotLabel = (hour: number) =>
  `${String(hour).padStart(2, '0')}:00–${String(hour + SLOT_LENGTH_HOURS).padStart(2, '0')}:00`;

/** The window of a day and a start hour. */
export function windowOf(day: Dayjs, hour: number): AppointmentWindow {
  const from = day.startOf('day').hour(hour);
  return { from, to: from.add(SLOT_LENGTH_HOURS, 'hour') };
}

/**
 * The day (today by default) and a two-hour window, both by keyboard: the window select filters
 * as typed ("14" → 14:00–16:00); windows already over today cannot be chosen.
 */
export function AppointmentPicker({
  id,
  value,
  onChange,
  now = dayjs(),
}: {
  id?: string;
  value?: AppointmentWindow | null;
  onChange?: (value: AppointmentWindow | null) => void;
  now?: Dayjs;
}) {
  const t = useT();
  const [day, setDay] = useState<Dayjs>(() => (value ? value.from.startOf('day') : now.startOf('day')));
  const hour = value ? value.from.hour() : undefined;
  const isToday = day.isSame(now, 'day');
  return (
    <Flex gap={8}>
      <DatePicker
        aria-label={t('tickets.intake.appointmentDay')}
        value={day}
        allowClear={false}
        format={t('time.dateFormat')}
        disabledDate={(candidate) => candidate.isBefore(now, 'day')}
        onChange={(next) => {
          if (!next) return;
          setDay(next.startOf('day'));
          if (hour !== undefined) onChange?.(windowOf(next, hour));
        }}
        style={{ width: 150 }}
        data-testid="intake-appointment-day"
      />
      <Select<number>
        id={id}
        aria-label={t('tickets.intake.appointmentSlot')}
        value={hour}
        allowClear
        placeholder={t('tickets.intake.appointmentPlaceholder')}
        // "14" finds the window that starts at 14:00, not the one that ends then
        showSearch={{ filterOption: (typed, option) => String(option?.label ?? '').startsWith(typed.trim()) }}
        options={SLOT_HOURS.map((start) => ({
          value: start,
          label: slotLabel(start),
          disabled: isToday && now.hour() >= start + SLOT_LENGTH_HOURS,
        }))}
        onChange={(next) => onChange?.(next === undefined ? null : windowOf(day, next))}
        style={{ flex: 1, minWidth: 150 }}
        data-testid="intake-appointment-slot"
      />
    </Flex>
  );
}
