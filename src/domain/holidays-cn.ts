/**
 * Mainland China public holidays (法定节假日) and make-up working days (调休上班) for the standard
 * business calendar (STANDARD_CALENDAR in business-time.ts), as local dates in Asia/Shanghai.
 *
 * Each year's dates come from the State Council's notice (国务院办公厅关于 YYYY 年部分节假日安排的
 * 通知), published each November for the following year. A year whose notice was not at hand when
 * this file was written is marked `provisional` and holds only what the law fixes by itself; it
 * must be replaced by the notice's dates. Companies can always edit their own calendar.
 */
export interface HolidayArrangement {
  year: number;
  /** Where the dates come from. */
  source: string;
  /** true: not the State Council's notice; only what the law fixes, to be replaced. */
  provisional: boolean;
  /** Local dates with no work: the holidays and the days off they are joined with (放假调休). */
  holidays: readonly string[];
  /** Saturdays and Sundays that are worked instead (调休上班). */
  workdays: readonly string[];
}

/**
 * 2026: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04), checked
 * against two published copies of the notice; the weekdays in the comments are the notice's own.
 */
const ARRANGEMENT_2026: HolidayArrangement = {
  year: 2026,
  source: '国办发明电〔2025〕7号',
  provisional: false,
  holidays: [
    // 元旦: 1月1日（周四）至3日（周六）, 3 days
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    // 春节: 2月15日（腊月二十八、周日）至23日（正月初七、周一）, 9 days
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    // 清明节: 4月4日（周六）至6日（周一）, 3 days
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    // 劳动节: 5月1日（周五）至5日（周二）, 5 days
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    // 端午节: 6月19日（周五）至21日（周日）, 3 days
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    // 中秋节: 9月25日（周五）至27日（周日）, 3 days
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    // 国庆节: 10月1日（周四）至7日（周三）, 7 days
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workdays: [
    '2026-01-04', // 周日, 元旦
    '2026-02-14', // 周六, 春节
    '2026-02-28', // 周六, 春节
    '2026-05-09', // 周六, 劳动节
    '2026-09-20', // 周日, 国庆节
    '2026-10-10', // 周六, 国庆节
  ],
};

/**
 * 2027: PROVISIONAL. The State Council's notice for 2027 was not available when this was written,
 * so its 调休 (longer breaks joined with weekends, and the make-up working Saturdays/Sundays that pay
 * for them) is NOT here. What is here is what the law fixes by itself (全国年节及纪念日放假办法, as
 * amended in 2024: 元旦 1 day, 春节 4 days from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), plus
 * the 补假 the same law requires when a holiday falls on a Saturday or Sunday, placed on the next
 * working days as the notices have always done. The lunar and solar-term dates are not certain
 * beyond doubt either:
 * - 春节: 正月初一 is 2027-02-06 (so 除夕 is 02-05), as the Hong Kong Observatory's Gregorian–lunar
 *   table gives it (seen quoted, not in the original). The new moon falls minutes before midnight
 *   Beijing time that day, and ICU's Chinese calendar (Intl 'zh-u-ca-chinese') puts 初一 on 02-07
 *   instead: do not "correct" this date from Intl.
 * - 清明: the solar term falls on 04-05 by the usual formula; 端午 (五月初五) 06-09 and 中秋 (八月十五)
 *   09-15 agree with ICU's Chinese calendar.
 * Replace this block with the notice's dates (国务院办公厅关于2027年部分节假日安排的通知).
 */
const ARRANGEMENT_2027: HolidayArrangement = {
  year: 2027,
  source: '全国年节及纪念日放假办法 (statutory days only; the 2027 notice is not applied)',
  provisional: true,
  holidays: [
    '2027-01-01', // 元旦, 周五
    '2027-02-05', // 除夕, 周五
    '2027-02-06', // 正月初一, 周六
    '2027-02-07', // 初二, 周日
    '2027-02-08', // 初三, 周一
    '2027-02-09', // 补假 for 初一 (Saturday), 周二
    '2027-02-10', // 补假 for 初二 (Sunday), 周三
    '2027-04-05', // 清明, 周一
    '2027-05-01', // 劳动节, 周六
    '2027-05-02', // 劳动节, 周日
    '2027-05-03', // 补假 for 5月1日 (Saturday), 周一
    '2027-05-04', // 补假 for 5月2日 (Sunday), 周二
    '2027-06-09', // 端午, 周三
    '2027-09-15', // 中秋, 周三
    '2027-10-01', // 国庆, 周五
    '2027-10-02', // 国庆, 周六
    '2027-10-03', // 国庆, 周日
    '2027-10-04', // 补假 for 10月2日 (Saturday), 周一
    '2027-10-05', // 补假 for 10月3日 (Sunday), 周二
  ],
  workdays: [],
};

export const CN_HOLIDAY_ARRANGEMENTS: readonly HolidayArrangement[] = [ARRANGEMENT_2026, ARRANGEMENT_2027];

/** The last date up to which the data above follows a State Council notice (not provisional). */
export const CN_HOLIDAYS_CONFIRMED_THROUGH = '2026-12-31';
