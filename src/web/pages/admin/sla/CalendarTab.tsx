import { CalendarOutlined, CloseOutlined, CopyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  Select,
  Skeleton,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Weekday } from '../../../../domain/business-time';
import { CN_HOLIDAY_ARRANGEMENTS } from '../../../../domain/holidays-cn';
import { ApiError } from '../../../api/errors';
import { useCommunity } from '../../../app/community';
import { useT } from '../../../app/i18n';
import { useAccess } from '../../../app/session';
import { isSaveShortcut } from '../../../components/hotkeys';
import { timeZoneOptions } from '../../../components/timeZones';
import type { MessageKey } from '../../../locales';
import {
  addDate,
  addInterval,
  type CalendarDraft,
  type CalendarIssue,
  type CalendarJson,
  calendarIssues,
  calendarOf,
  copyDay,
  datesByYear,
  draftOf,
  issueAt,
  mergeStatutory,
  nextWorkingPeriod,
  removeDate,
  removeInterval,
  sameCalendar,
  setIntervalTime,
  suggestInterval,
  tidyTimes,
  WEEKDAYS_MONDAY_FIRST,
  WORKING_WEEK,
} from './calendarForm';
import { type CalendarEntry, usePutCalendar, useSlaCalendars } from './queries';

const COMPANY = '__company__';

const weekdayKey = (day: Weekday) => `slaSettings.calendar.weekday.w${day}` as MessageKey;

/** One issue in words (the problem, with the day or date it concerns). */
function useIssueText() {
  const t = useT();
  return (issue: CalendarIssue, makeUpDay: Weekday): string => {
    switch (issue.kind) {
      case 'interval':
        return t(`slaSettings.calendar.problem.${issue.problem}`);
      case 'day':
        return t('slaSettings.calendar.problem.too_many', { day: t(weekdayKey(issue.weekday)) });
      case 'makeUpPattern':
        return t('slaSettings.calendar.problem.make_up_day_off', { day: t(weekdayKey(makeUpDay)) });
      case 'workdays':
        return issue.problem === 'holiday_and_workday'
          ? t('slaSettings.calendar.problem.holiday_and_workday', { date: issue.date })
          : t('slaSettings.calendar.problem.too_many_dates');
      default:
        return t(`slaSettings.calendar.problem.${issue.problem}`);
    }
  };
}

/** A list of dates (holidays or make-up working days): tags by year, a date picker to add one. */
function DateList({
  list,
  draft,
  editable,
  onChange,
}: {
  list: 'holidays' | 'workdays';
  draft: CalendarDraft;
  editable: boolean;
  onChange: (next: CalendarDraft) => void;
}) {
  const t = useT();
  const groups = datesByYear(draft[list]);
  const label = list === 'holidays' ? t('slaSettings.calendar.holidays') : t('slaSettings.calendar.workdays');
  return (
    <Flex vertical gap={8} style={{ flex: '1 1 360px', minWidth: 0 }} data-testid={`cal-${list}`}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text strong>{label}</Typography.Text>
        {editable ? (
          <DatePicker
            size="small"
            value={null as Dayjs | null}
            placeholder={
              list === 'holidays'
                ? t('slaSettings.calendar.addHoliday')
                : t('slaSettings.calendar.addWorkday')
            }
            aria-label={
              list === 'holidays'
                ? t('slaSettings.calendar.addHoliday')
                : t('slaSettings.calendar.addWorkday')
            }
            format="YYYY-MM-DD"
            onChange={(date) => {
              if (date) onChange(addDate(draft, list, date.format('YYYY-MM-DD')));
            }}
            style={{ width: 160 }}
            data-testid={`cal-add-${list}`}
          />
        ) : null}
      </Flex>
      {groups.length === 0 ? (
        <Typography.Text type="secondary">{t('slaSettings.calendar.noDates')}</Typography.Text>
      ) : (
        groups.map((group) => (
          <Flex key={group.year} gap={8} align="baseline">
            <Typography.Text type="secondary" style={{ width: 40, flex: '0 0 40px' }}>
              {group.year}
            </Typography.Text>
            <Flex gap={4} wrap style={{ minWidth: 0 }}>
              {group.dates.map((date) => (
                <Tag
                  key={date}
                  color={list === 'holidays' ? 'red' : 'green'}
                  style={{ marginInlineEnd: 0 }}
                  closable={
                    editable ? { 'aria-label': t('slaSettings.calendar.removeDate', { date }) } : false
                  }
                  onClose={() => onChange(removeDate(draft, list, date))}
                  data-testid={`cal-${list}-${date}`}
                >
                  {dayjs(date).format(t('slaSettings.calendar.dateFormat'))}
                </Tag>
              ))}
            </Flex>
          </Flex>
        ))
      )}
    </Flex>
  );
}

/** The editor of one calendar; it starts from the stored (or inherited) calendar it is given. */
function CalendarEditor({ entry, editable }: { entry: CalendarEntry; editable: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const issueText = useIssueText();
  const original = useMemo(() => draftOf(entry.calendar as CalendarJson), [entry]);
  const [draft, setDraft] = useState<CalendarDraft>(original);
  const [showIssues, setShowIssues] = useState(false);
  const save = usePutCalendar();
  const zones = useMemo(() => timeZoneOptions(), []);
  const issues = useMemo(() => calendarIssues(draft), [draft]);
  const dirty = !sameCalendar(draft, original);
  const period = useMemo(
    () => (issues.length === 0 ? nextWorkingPeriod(calendarOf(draft), new Date()) : null),
    [draft, issues],
  );
  const serverDetails =
    save.error instanceof ApiError && save.error.details ? save.error.details.map((d) => d.message) : [];

  const submit = () => {
    if (!editable || save.isPending) return;
    if (issues.length > 0) {
      setShowIssues(true);
      void message.error(t('slaSettings.calendar.fixFirst'));
      return;
    }
    save.mutate(
      { communityId: entry.communityId, calendar: calendarOf(draft) },
      {
        onSuccess: () => {
          // the list is fetched again and this editor starts over from what the server stored
          void message.success(`${t('slaSettings.calendar.saved')}${t('slaSettings.calendar.savedHint')}`);
        },
      },
    );
  };

  const day = (weekday: Weekday) => {
    const intervals = draft.weekly[weekday];
    const dayName = t(weekdayKey(weekday));
    const dayProblems = issues.filter(
      (issue) => (issue.kind === 'interval' || issue.kind === 'day') && issue.weekday === weekday,
    );
    const canAdd = editable && suggestInterval(intervals) !== null;
    return (
      <Flex
        key={weekday}
        gap={12}
        align="start"
        style={{ padding: '6px 0', borderBottom: `1px solid ${token.colorBorderSecondary}` }}
        data-testid={`cal-day-${weekday}`}
      >
        <Typography.Text strong style={{ width: 40, flex: '0 0 40px', lineHeight: '32px' }}>
          {dayName}
        </Typography.Text>
        <Flex vertical gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Flex gap={8} wrap align="center" style={{ minHeight: 32 }}>
            {intervals.length === 0 ? (
              <Tag style={{ marginInlineEnd: 0 }}>{t('slaSettings.calendar.dayOff')}</Tag>
            ) : null}
            {intervals.map((item, index) => {
              if (!editable) {
                return (
                  <Tag
                    key={item.id}
                    color="blue"
                    style={{ marginInlineEnd: 0, fontSize: 14, padding: '2px 8px' }}
                    data-testid={`cal-${weekday}-${index}`}
                  >
                    {item.start}–{item.end}
                  </Tag>
                );
              }
              const startIssue = issueAt(issues, weekday, item.id, 'start');
              const endIssue = issueAt(issues, weekday, item.id, 'end');
              const n = index + 1;
              return (
                <Flex
                  key={item.id}
                  gap={4}
                  align="center"
                  style={{
                    border: `1px solid ${token.colorBorderSecondary}`,
                    borderRadius: token.borderRadius,
                    padding: '2px 4px',
                  }}
                >
                  <Input
                    value={item.start}
                    status={startIssue ? 'error' : undefined}
                    aria-invalid={startIssue ? true : undefined}
                    aria-label={t('slaSettings.calendar.start', { day: dayName, n })}
                    onChange={(event) =>
                      setDraft(setIntervalTime(draft, weekday, item.id, 'start', event.target.value))
                    }
                    onBlur={() => setDraft((d) => tidyTimes(d, weekday))}
                    maxLength={5}
                    placeholder="08:30"
                    variant="borderless"
                    style={{ width: 56, textAlign: 'center', padding: '2px 4px' }}
                    data-testid={`cal-${weekday}-${index}-start`}
                  />
                  <span aria-hidden>–</span>
                  <Input
                    value={item.end}
                    status={endIssue ? 'error' : undefined}
                    aria-invalid={endIssue ? true : undefined}
                    aria-label={t('slaSettings.calendar.end', { day: dayName, n })}
                    onChange={(event) =>
                      setDraft(setIntervalTime(draft, weekday, item.id, 'end', event.target.value))
                    }
                    onBlur={() => setDraft((d) => tidyTimes(d, weekday))}
                    maxLength={5}
                    placeholder="12:00"
                    variant="borderless"
                    style={{ width: 56, textAlign: 'center', padding: '2px 4px' }}
                    data-testid={`cal-${weekday}-${index}-end`}
                  />
                  {editable ? (
                    <Button
                      type="text"
                      size="small"
                      icon={<CloseOutlined />}
                      aria-label={t('slaSettings.calendar.removeInterval', {
                        day: dayName,
                        start: item.start,
                        end: item.end,
                      })}
                      onClick={() => setDraft(removeInterval(draft, weekday, item.id))}
                      data-testid={`cal-${weekday}-${index}-remove`}
                    />
                  ) : null}
                </Flex>
              );
            })}
            {canAdd ? (
              <Button
                size="small"
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => setDraft(addInterval(draft, weekday))}
                data-testid={`cal-${weekday}-add`}
              >
                {t('slaSettings.calendar.addInterval')}
              </Button>
            ) : null}
            {editable && intervals.length > 0 && weekday === 1 ? (
              <Button
                size="small"
                type="link"
                icon={<CopyOutlined />}
                onClick={() => {
                  setDraft(copyDay(draft, weekday, WORKING_WEEK));
                  void message.info(t('slaSettings.calendar.copied', { day: dayName }));
                }}
                data-testid={`cal-${weekday}-copy`}
              >
                {t('slaSettings.calendar.copyToWeekdays')}
              </Button>
            ) : null}
          </Flex>
          {dayProblems.length > 0 ? (
            <Typography.Text type="danger" role="alert" data-testid={`cal-${weekday}-error`}>
              {[...new Set(dayProblems.map((issue) => issueText(issue, draft.makeUpPattern)))].join('；')}
            </Typography.Text>
          ) : null}
        </Flex>
      </Flex>
    );
  };

  const calendarProblems = issues
    .filter((issue) => issue.kind !== 'interval' && issue.kind !== 'day')
    .map((issue) => issueText(issue, draft.makeUpPattern));

  const previewText = !period
    ? issues.length === 0
      ? t('slaSettings.calendar.previewNone')
      : null
    : period.now
      ? t('slaSettings.calendar.previewNow', { end: period.end })
      : t('slaSettings.calendar.preview', {
          when: t('slaSettings.calendar.previewWhen', {
            date: dayjs(period.date).format(t('slaSettings.calendar.previewDateFormat')),
            weekday: t(weekdayKey(period.weekday)),
            start: period.start,
            end: period.end,
          }),
        });

  const provisionalYears = CN_HOLIDAY_ARRANGEMENTS.filter((year) => year.provisional).map(
    (year) => year.year,
  );

  return (
    <Flex
      vertical
      gap={12}
      onKeyDown={(event) => {
        if (isSaveShortcut(event)) {
          event.preventDefault();
          submit();
        }
      }}
      data-testid="cal-editor"
    >
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('slaSettings.calendar.timeZone')}</Typography.Text>
        {editable ? (
          <Select
            value={draft.timeZone}
            onChange={(timeZone: string) => setDraft({ ...draft, timeZone })}
            options={zones}
            showSearch={{ optionFilterProp: 'label' }}
            status={issues.some((issue) => issue.kind === 'timeZone') ? 'error' : undefined}
            aria-label={t('slaSettings.calendar.timeZone')}
            style={{ width: 220 }}
            data-testid="cal-timezone"
          />
        ) : (
          <Typography.Text strong data-testid="cal-timezone">
            {draft.timeZone}
          </Typography.Text>
        )}
      </Flex>
      <Card size="small" title={t('slaSettings.calendar.weekly')}>
        {WEEKDAYS_MONDAY_FIRST.map(day)}
        {editable ? (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {t('slaSettings.calendar.timeHint')}
          </Typography.Text>
        ) : null}
      </Card>
      <Card
        size="small"
        title={t('slaSettings.calendar.datesTitle')}
        extra={
          editable ? (
            <Button
              size="small"
              icon={<CalendarOutlined />}
              onClick={() => {
                const merged = mergeStatutory(draft, CN_HOLIDAY_ARRANGEMENTS);
                setDraft(merged.draft);
                void message.info(
                  merged.added
                    ? t('slaSettings.calendar.fillStatutoryDone', { count: merged.added })
                    : t('slaSettings.calendar.fillStatutoryNone'),
                );
              }}
              data-testid="cal-fill-statutory"
            >
              {t('slaSettings.calendar.fillStatutory')}
            </Button>
          ) : null
        }
      >
        <Flex gap={24} wrap>
          <DateList list="holidays" draft={draft} editable={editable} onChange={setDraft} />
          <DateList list="workdays" draft={draft} editable={editable} onChange={setDraft} />
        </Flex>
        <Flex gap={8} align="center" wrap style={{ marginTop: 12 }}>
          <Typography.Text>{t('slaSettings.calendar.makeUpPattern')}</Typography.Text>
          {editable ? (
            <Select<Weekday>
              size="small"
              value={draft.makeUpPattern}
              onChange={(makeUpPattern) => setDraft({ ...draft, makeUpPattern })}
              options={WEEKDAYS_MONDAY_FIRST.map((d) => ({ value: d, label: t(weekdayKey(d)) }))}
              aria-label={t('slaSettings.calendar.makeUpPattern')}
              style={{ width: 90 }}
            />
          ) : (
            <Typography.Text strong>{t(weekdayKey(draft.makeUpPattern))}</Typography.Text>
          )}
          <Typography.Text>{t('slaSettings.calendar.makeUpPatternSuffix')}</Typography.Text>
          {provisionalYears.map((year) => (
            <Typography.Text key={year} type="secondary">
              {t('slaSettings.calendar.provisional', { year })}
            </Typography.Text>
          ))}
        </Flex>
      </Card>
      {calendarProblems.length > 0 && (showIssues || dirty) ? (
        <Alert type="error" showIcon title={calendarProblems.join('；')} data-testid="cal-problems" />
      ) : null}
      {serverDetails.length > 0 ? (
        <Alert
          type="error"
          showIcon
          title={t('slaSettings.calendar.serverRefused')}
          description={serverDetails.join('；')}
          data-testid="cal-server-problems"
        />
      ) : null}
      <Flex gap={12} align="center" justify="space-between" wrap>
        <Typography.Text type="secondary" data-testid="cal-preview">
          {previewText}
        </Typography.Text>
        {editable ? (
          <Flex gap={8} align="center">
            {dirty ? (
              <Typography.Text type="warning">{t('slaSettings.calendar.unsaved')}</Typography.Text>
            ) : null}
            <Button
              disabled={!dirty || save.isPending}
              onClick={() => {
                setDraft(original);
                setShowIssues(false);
                save.reset();
              }}
            >
              {t('slaSettings.calendar.reset')}
            </Button>
            <Tooltip title="Ctrl+Enter">
              <Button
                type="primary"
                disabled={!dirty}
                loading={save.isPending}
                onClick={submit}
                data-testid="cal-save"
              >
                {t('slaSettings.calendar.save')}
              </Button>
            </Tooltip>
          </Flex>
        ) : null}
      </Flex>
    </Flex>
  );
}

/**
 * The business calendars: the company's default and each community's own (time zone, working
 * intervals per weekday, holidays and 调休 make-up days), with a preview of the next working period.
 */
export function CalendarTab() {
  const t = useT();
  const access = useAccess();
  const { communityId: headerCommunityId, nameOf } = useCommunity();
  const { data: entries, isLoading } = useSlaCalendars();
  // the calendar being edited stays in the address: a reload or a shared link opens the same one
  const [params, setParams] = useSearchParams();
  const chosen = params.get('calendar') ?? undefined;
  const setChosen = (value: string) => {
    const next = new URLSearchParams(params);
    next.set('calendar', value);
    setParams(next, { replace: true });
  };

  const options = (entries ?? []).map((entry) => ({
    value: entry.communityId ?? COMPANY,
    label: entry.communityId ? nameOf(entry.communityId) : t('slaSettings.calendar.company'),
  }));
  const fallback =
    headerCommunityId && options.some((o) => o.value === headerCommunityId) ? headerCommunityId : COMPANY;
  const selected = chosen && options.some((o) => o.value === chosen) ? chosen : fallback;
  const entry = entries?.find((e) => (e.communityId ?? COMPANY) === selected);
  const isCompany = selected === COMPANY;
  const editable = isCompany ? access.editCompanySla : access.editSlaSettings;

  if (isLoading || !entry) return <Skeleton active />;

  const status = entry.stored ? (
    <Tag color="blue">{t('slaSettings.calendar.stored')}</Tag>
  ) : isCompany ? (
    <Tag>{t('slaSettings.calendar.standard')}</Tag>
  ) : (
    <Tag>{t('slaSettings.calendar.inherited')}</Tag>
  );

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('slaSettings.calendar.which')}</Typography.Text>
        <Select
          value={selected}
          onChange={setChosen}
          options={options}
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('slaSettings.calendar.which')}
          style={{ minWidth: 200 }}
          data-testid="cal-which"
        />
        <span data-testid="cal-status">{status}</span>
        <Typography.Text type="secondary">
          {isCompany && !editable
            ? t('slaSettings.calendar.readOnlyCompany')
            : isCompany
              ? t('slaSettings.calendar.companyHint')
              : null}
        </Typography.Text>
      </Flex>
      <CalendarEditor
        key={`${selected}:${JSON.stringify(entry.calendar)}`}
        entry={entry}
        editable={editable}
      />
    </Flex>
  );
}
