import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../platform/heavy-modules.js';
import type { GroupBy } from './reports.schemas.js';
import type { ReturnVisitsResult, SatisfactionResult } from './reports.service.js';
import { localDateTime, type Stats } from './reports.stats.js';

/** The reports as workbooks, with Chinese headers, as the managers file them. */

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

const GROUP_TEXT: Record<GroupBy, string> = {
  community: '小区',
  team: '班组',
  worker: '维修人员',
  category: '类别',
  month: '月份',
};
const DIMENSION_TEXT: Record<string, string> = {
  overall: '总体',
  speed: '速度',
  attitude: '态度',
  quality: '质量',
};
const STATS_HEADERS = ['评价数', '总体满意度', '速度', '态度', '质量', '满意数（4–5分）', '满意率'];

function statsCells(s: Stats): (number | string)[] {
  return [
    s.count,
    s.overall ?? '',
    s.speed ?? '',
    s.attitude ?? '',
    s.quality ?? '',
    s.satisfied,
    s.satisfiedRate ?? '',
  ];
}

function sheetWith(workbook: ExcelJS.Workbook, title: string, headers: string[], widths: number[]) {
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header, i) => ({ header, width: widths[i] ?? 12 }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  return sheet;
}

/** Averages with one decimal, rates as percentages. */
function formatStats(sheet: ExcelJS.Worksheet, first: number) {
  for (let c = first + 1; c <= first + 4; c++) sheet.getColumn(c).numFmt = '0.0';
  sheet.getColumn(first + 6).numFmt = '0.0%';
}

async function newWorkbook() {
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  workbook.creator = 'EstateDesk';
  return workbook;
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function aboutSheet(workbook: ExcelJS.Workbook, lines: [string, string][]) {
  const about = sheetWith(workbook, '说明', ['项目', '内容'], [14, 90]);
  for (const line of lines) about.addRow(line);
}

export async function satisfactionWorkbook(report: SatisfactionResult, scope: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  const group = GROUP_TEXT[report.groupBy];
  const groups = sheetWith(workbook, `按${group}`, [group, ...STATS_HEADERS], [24, 10, 12, 8, 8, 8, 16, 10]);
  for (const g of report.groups) groups.addRow([g.name ?? '（未指定）', ...statsCells(g)]);
  groups.addRow(['合计', ...statsCells(report.totals)]).font = { bold: true };
  formatStats(groups, 2);
  const months = sheetWith(workbook, '按月', ['月份', ...STATS_HEADERS], [12, 10, 12, 8, 8, 8, 16, 10]);
  for (const m of report.months) months.addRow([m.month, ...statsCells(m)]);
  formatStats(months, 2);
  aboutSheet(workbook, [
    ['报表', '满意度报表'],
    ['时段', `${report.from} 至 ${report.to}（各小区当地日期）`],
    ['范围', scope],
    ['口径', '住户评价链接与回访评价均计入；同一工单多次评价的，只计时段内最后一次评价。满意：总体 4–5 分。'],
  ]);
  return toBuffer(workbook);
}

export async function returnVisitsWorkbook(
  report: ReturnVisitsResult,
  scope: string,
  zoneOf: (communityId: string) => string,
): Promise<Buffer> {
  const workbook = await newWorkbook();
  const summary = sheetWith(workbook, '回访及时率', ['指标', '数值'], [28, 12]);
  const v = report.visits;
  const percent = (value: number | null) => (value === null ? '' : value);
  const lines: [string, number | string, boolean?][] = [
    ['应回访（到期在本时段）', v.due],
    ['按时完成', v.onTime],
    ['其中：住户已自评', v.rated],
    ['超时完成', v.late],
    ['未完成', v.open],
    ['其中：已超时', v.overdue],
    ['联系不上', v.unreachable],
    ['拒绝回访', v.refused],
    ['已取消（工单重开）', v.cancelled],
    ['回访及时率', percent(v.onTimeRate), true],
    ['本时段完成工单', report.reopen.completed],
    ['其后被重开', report.reopen.reopened],
    ['重开率', percent(report.reopen.rate), true],
    ['投诉跟进：新开', report.followups.opened],
    ['投诉跟进：已关闭', report.followups.closed],
    ['投诉跟进：处理中', report.followups.open],
  ];
  for (const [name, value, isRate] of lines) {
    const row = summary.addRow([name, value]);
    if (isRate) row.getCell(2).numFmt = '0.0%';
  }
  const followups = sheetWith(
    workbook,
    '投诉跟进',
    [
      '工单号',
      '小区',
      '开单时间',
      '差评项',
      '来源',
      '总体',
      '速度',
      '态度',
      '质量',
      '住户意见',
      '状态',
      '处理结果',
      '关闭人',
      '关闭时间',
    ],
    [16, 12, 18, 14, 8, 6, 6, 6, 6, 30, 8, 40, 10, 18],
  );
  for (const f of report.followups.items) {
    followups.addRow([
      f.ticketNumber,
      f.communityName,
      localDateTime(f.createdAt, zoneOf(f.communityId)),
      f.reason.map((d) => DIMENSION_TEXT[d] ?? d).join('、'),
      f.source === 'link' ? '评价链接' : '回访',
      f.overall,
      f.speed,
      f.attitude,
      f.quality,
      f.comment ?? '',
      f.status === 'closed' ? '已关闭' : '处理中',
      f.outcome ?? '',
      f.closedBy ?? '',
      f.closedAt ? localDateTime(f.closedAt, zoneOf(f.communityId)) : '',
    ]);
  }
  aboutSheet(workbook, [
    ['报表', '回访报表'],
    ['时段', `${report.from} 至 ${report.to}（各小区当地日期）`],
    ['范围', scope],
    ['回访及时率', '按时完成 ÷（应回访 − 已取消 − 尚未到期的未完成）；住户通过评价链接自评的回访计为完成。'],
    ['重开率', '本时段内完成的工单中，完成后又被重开的比例。'],
    ['时间', '开单时间、关闭时间为所在小区的当地时间。'],
  ]);
  return toBuffer(workbook);
}
