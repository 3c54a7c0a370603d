import { Type } from '@sinclair/typebox';
import { DISPATCH_MODES } from '../../../domain/dispatch.js';
import { Nullable, OptionalText, StringEnum, Text } from '../../platform/schemas.js';

export const DispatchModeSchema = StringEnum(DISPATCH_MODES, {
  description:
    '派单 assign: by hand; 抢单 grab: into the team’s pool; 自动 auto: in turn to the team’s members on duty',
});

const categoryFields = {
  id: Type.String(),
  parentId: Nullable(Type.String({ description: 'null: a first-level category' })),
  code: Type.String(),
  name: Type.String(),
  sort: Type.Integer(),
  dispatchMode: DispatchModeSchema,
  teamId: Nullable(Type.String({ description: 'The team that does the work (grab, auto)' })),
  teamName: Nullable(
    Type.String({ description: 'null also when the team serves a community the caller does not see' }),
  ),
  archived: Type.Boolean(),
};

/** One category as saved: the answer of a create or an edit, and a child in the tree. */
export const TicketCategory = Type.Object(categoryFields, { $id: 'TicketCategory' });

/** A first-level category with its second level. */
export const TicketCategoryTree = Type.Object(
  { ...categoryFields, children: Type.Array(Type.Ref('TicketCategory')) },
  { $id: 'TicketCategoryTree' },
);

export const CategoryQuery = Type.Object(
  {
    includeArchived: Type.Optional(
      Type.Boolean({ default: false, description: 'Also archived categories (the editing screen)' }),
    ),
  },
  { additionalProperties: false },
);

/** Lower-case letters, digits and underscores: codes appear in ids and reports. */
const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_]+$' });
const Sort = Type.Integer({ minimum: 0, maximum: 9999 });

export const CreateCategoryBody = Type.Object(
  {
    name: Text(30),
    code: Code,
    parentId: Type.Optional(
      Nullable(Text(64, { description: 'A first-level category: two levels at most' })),
    ),
    dispatchMode: Type.Optional(DispatchModeSchema),
    teamId: Type.Optional(Nullable(Text(64, { description: 'Required for grab and auto' }))),
    sort: Type.Optional(Sort),
  },
  { additionalProperties: false },
);

export const UpdateCategoryBody = Type.Object(
  {
    name: Type.Optional(Text(30)),
    sort: Type.Optional(Sort),
    dispatchMode: Type.Optional(DispatchModeSchema),
    teamId: Type.Optional(Nullable(Text(64, { description: 'Required for grab and auto; null clears it' }))),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CategoryPrice = Type.Object(
  {
    id: Type.String(),
    categoryId: Type.String(),
    name: Type.String(),
    unit: Type.String({ description: 'e.g. 次, 个, 米' }),
    price: Type.Number({ description: 'Yuan, two decimals' }),
    note: Nullable(Type.String()),
    sort: Type.Integer(),
    archived: Type.Boolean(),
  },
  { $id: 'CategoryPrice' },
);

export const PriceQuery = Type.Object(
  {
    includeArchived: Type.Optional(Type.Boolean({ default: false })),
    includeParent: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Also the first-level category’s prices, which apply to its children too (listed first)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Price = Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Yuan, at most two decimals' });

export const CreatePriceBody = Type.Object(
  {
    name: Text(50),
    unit: Text(10),
    price: Price,
    note: OptionalText(200),
    sort: Type.Optional(Sort),
  },
  { additionalProperties: false },
);

export const UpdatePriceBody = Type.Object(
  {
    name: Type.Optional(Text(50)),
    unit: Type.Optional(Text(10)),
    price: Type.Optional(Price),
    note: OptionalText(200),
    sort: Type.Optional(Sort),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
