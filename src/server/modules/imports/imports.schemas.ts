import { Type } from '@sinclair/typebox';
import { Id, Nullable, StringEnum, Text } from '../../platform/schemas.js';
import { IMPORT_FIELDS } from './imports.mapping.js';
import { IMPORT_STATUSES } from './imports.service.js';
import { XLSX_CONTENT_TYPE } from './imports.sheet.js';

const Field = StringEnum(IMPORT_FIELDS, {
  description:
    'Our field: building 楼栋, unit 单元, room 房号, roomCode 房屋 (a whole code such as 3-2-1502), name 姓名, ' +
    'phone 电话, kind 身份, salutation 称呼, area 面积, roomStatus 房屋状态, moveInDate 入住日期, notes 备注, care 关怀',
});

export const UploadQuery = Type.Object(
  {
    communityId: Id,
    fileName: Text(200, { description: 'The name of the uploaded file, shown in the job and the report' }),
    createMissing: Type.Optional(
      Type.Boolean({
        description:
          'Create the buildings, units and rooms the sheet names that the registry lacks. ' +
          'Default: yes for a community without buildings (onboarding), no otherwise',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The file itself is the body: documented as binary, read as raw bytes. */
export const UploadBody = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: '.xlsx, or CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16; at most 30 MB',
});

export const UPLOAD_CONTENT_TYPES = [XLSX_CONTENT_TYPE, 'text/csv', 'application/octet-stream'];

export const MappingBody = Type.Object(
  {
    revision: Type.Integer({ minimum: 1, description: 'The revision of the dry run you corrected' }),
    columns: Type.Array(
      Type.Object(
        { index: Type.Integer({ minimum: 0, maximum: 99 }), field: Nullable(Field) },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'Columns to change (by index, A = 0); null ignores a column' },
    ),
    createMissing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CommitBody = Type.Object(
  {
    revision: Type.Integer({
      minimum: 1,
      description: 'The revision of the dry run you reviewed; a newer one (changed meanwhile) is a 409',
    }),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object({ communityId: Id }, { additionalProperties: false });

const Issue = Type.Object({
  row: Nullable(Type.Integer({ description: "The sheet's own row number; null for the whole sheet" })),
  column: Nullable(Type.Integer({ description: 'Column index, A = 0' })),
  columnLetter: Nullable(Type.String()),
  field: Nullable(Field),
  level: StringEnum(['error', 'note'] as const, {
    description: 'error: the row is not imported; note: skipped or ignored, for information',
  }),
  code: Type.String({ description: 'Stable code, e.g. phoneInvalid, duplicateInFile, existing' }),
  message: Type.String({ description: "In the caller's language" }),
});

const Counts = Type.Object({
  rows: Type.Integer({ description: 'Data rows (blank rows not counted)' }),
  new: Type.Integer({ description: 'Rows the commit will import' }),
  existing: Type.Integer({ description: 'Residents already registered: skipped' }),
  invalid: Type.Integer({ description: 'Rows with errors: not imported' }),
  empty: Type.Integer({ description: 'Blank rows between data rows: skipped' }),
});

const Places = (description: string) =>
  Type.Object({ buildings: Type.Integer(), units: Type.Integer(), rooms: Type.Integer() }, { description });

export const ImportJob = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    fileName: Type.String(),
    format: StringEnum(['xlsx', 'csv'] as const),
    encoding: Nullable(
      Type.String({ description: 'CSV: the encoding it was read in (utf-8, gb18030, utf-16le)' }),
    ),
    status: StringEnum(IMPORT_STATUSES, {
      description:
        'dry_run: checked, cannot be committed as mapped (no header, a required column missing); ready: ' +
        'checked, can be committed; importing: the commit is running (poll); done; failed: commit again to resume',
    }),
    revision: Type.Integer({ description: 'Grows with each mapping correction; send it to commit' }),
    createMissing: Type.Boolean(),
    headerRow: Nullable(Type.Integer({ description: "The header's row number in the sheet" })),
    columns: Type.Array(
      Type.Object({
        index: Type.Integer(),
        letter: Type.String(),
        header: Type.String(),
        field: Nullable(Field),
        suggested: Nullable(Field),
      }),
    ),
    counts: Counts,
    places: Places('Buildings, units and rooms the commit will create'),
    issues: Type.Array(Issue, { description: 'The first 200 issues; the report has them all' }),
    issuesTotal: Type.Integer(),
    issueSummary: Type.Array(
      Type.Object({
        code: Type.String(),
        level: StringEnum(['error', 'note'] as const),
        field: Nullable(Field),
        count: Type.Integer(),
      }),
    ),
    progress: Type.Object({
      total: Type.Integer(),
      processed: Type.Integer(),
      created: Type.Integer({ description: 'Residents created' }),
      skipped: Type.Integer({ description: 'Rows not imported: errors, already registered, duplicates' }),
      percent: Type.Integer(),
    }),
    createdPlaces: Places('Buildings, units and rooms the commit created'),
    error: Nullable(Type.String({ description: 'Why the commit failed, in the caller’s language' })),
    stalled: Type.Boolean({
      description: 'importing, but its server has stopped reporting progress: commit again to resume',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'ImportJob' },
);

/** A binary answer, documented as such: an .xlsx workbook. */
export const XlsxResponse = {
  description: 'An .xlsx workbook (Content-Disposition: attachment)',
  content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
};
