import { Type } from '@sinclair/typebox';
import { Nullable, Text } from '../../platform/schemas.js';

export const Company = Type.Object({
  name: Type.String(),
  shortName: Type.String(),
  hotline: Nullable(Type.String()),
  timeZone: Type.String(),
  logoDataUrl: Nullable(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PublicCompany = Type.Object({
  name: Type.String(),
  shortName: Type.String(),
  hotline: Nullable(Type.String()),
});

export const UpdateCompanyBody = Type.Object(
  {
    name: Text(100),
    shortName: Text(30),
    hotline: Type.Optional(Nullable(Type.String({ maxLength: 30, pattern: '^[0-9+\\- ()]*$' }))),
    timeZone: Text(64),
    logoDataUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 300_000,
          pattern: '^data:image/(png|jpeg|webp|svg\\+xml);base64,[A-Za-z0-9+/=]+$',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
